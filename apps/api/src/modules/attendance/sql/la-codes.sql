-- Local authorities with data in a year.
SELECT DISTINCT la_code
FROM fct_enrolment_term
WHERE academic_year = $academic_year AND la_code IS NOT NULL
ORDER BY la_code;
