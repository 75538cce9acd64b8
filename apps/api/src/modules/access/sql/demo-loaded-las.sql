-- LAs with returns loaded (for the demo's regional user).
SELECT DISTINCT la_code
FROM fct_enrolment_term
WHERE la_code IS NOT NULL;
