-- Children looked after by the LA on $today, in the access scope only, with the latest name and
-- when the current period of care began.
WITH cla AS (
  SELECT
    s.la_code, CAST(NULL AS INTEGER) AS urn, upper(s.upn) AS upn,
    any_value(s.la_child_id) AS la_child_id, min(s.start_date) AS looked_after_since
  FROM fct_child_status AS s
  WHERE s.la_code = $la_code
    AND s.status = 'looked_after'
    AND s.upn IS NOT NULL
    AND s.start_date <= CAST($today AS DATE)
    AND (s.end_date IS NULL OR s.end_date > CAST($today AS DATE))
  GROUP BY s.la_code, upper(s.upn)
),
names AS (
  SELECT upper(p.upn) AS upn,
    arg_max(p.forename, p.academic_year || CASE p.term WHEN 'summer' THEN '3' WHEN 'spring' THEN '2' ELSE '1' END) AS forename,
    arg_max(p.surname, p.academic_year || CASE p.term WHEN 'summer' THEN '3' WHEN 'spring' THEN '2' ELSE '1' END) AS surname
  FROM lake_pupils AS p
  WHERE upper(p.upn) IN (SELECT upn FROM cla)
    AND {{in_scope:p}}
  GROUP BY upper(p.upn)
)
SELECT c.upn, c.la_child_id, c.looked_after_since, n.forename, n.surname
FROM cla AS c
LEFT JOIN names AS n USING (upn)
WHERE {{in_scope:c}}
ORDER BY n.surname NULLS LAST, n.forename, c.upn;
