SELECT min(la_name) AS la_name
FROM dim_school
WHERE la_code = $la_code;
