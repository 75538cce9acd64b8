-- Where the children $upns are on roll in $academic_year's latest term loaded for them (any LA),
-- in the access scope only; out_of_area when the school is not in $la_code.
WITH latest AS (
  SELECT upper(e.upn) AS upn, e.urn, e.la_code, e.term,
    rank() OVER (PARTITION BY upper(e.upn)
                 ORDER BY CASE e.term WHEN 'summer' THEN 3 WHEN 'spring' THEN 2 ELSE 1 END DESC) AS r
  FROM fct_enrolment_term AS e
  WHERE e.academic_year = $academic_year
    AND e.scope = 'operational'
    AND upper(e.upn) IN (SELECT unnest($upns))
    AND {{in_scope:e}}
)
SELECT l.upn, l.urn, l.la_code, l.term, s.name AS school_name, s.la_name, l.la_code <> $la_code AS out_of_area
FROM latest AS l
LEFT JOIN dim_school AS s ON s.urn = l.urn
WHERE l.r = 1
ORDER BY l.upn, l.urn;
