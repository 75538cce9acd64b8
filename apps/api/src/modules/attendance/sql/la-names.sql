-- Names of the LAs in $la_codes, from the school list (LAs without a loaded school list are absent).
SELECT la_code, min(la_name) AS la_name
FROM dim_school
WHERE la_code IN (SELECT unnest($la_codes))
GROUP BY la_code;
