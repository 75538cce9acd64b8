-- Academic years with any enrolment row, newest first ('2025/26' sorts after '2024/25').
SELECT DISTINCT academic_year
FROM fct_enrolment_term
WHERE academic_year IS NOT NULL
ORDER BY academic_year DESC;
