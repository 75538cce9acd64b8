-- The LA with most enrolments, and its school with most enrolments (for the demo users).
SELECT la_code, urn
FROM fct_enrolment_term
WHERE scope = 'operational'
GROUP BY la_code, urn
ORDER BY count(*) DESC, la_code, urn
LIMIT 1;
