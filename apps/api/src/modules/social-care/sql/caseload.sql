-- Children on open allocations on $today: one worker's ($worker_id), one team's ($team), or the
-- LA's (both NULL), in the access scope only, with the worker, and the name the latest return gave.
WITH allocations AS (
  SELECT
    c.la_code, CAST(NULL AS INTEGER) AS urn, upper(c.upn) AS upn, c.la_child_id,
    c.worker_id, c.worker_name, c.team, c.start_date
  FROM lake_caseloads AS c
  WHERE c.la_code = $la_code
    AND c.upn IS NOT NULL
    AND c.start_date <= CAST($today AS DATE)
    AND (c.end_date IS NULL OR c.end_date >= CAST($today AS DATE))
    AND ($worker_id IS NULL OR c.worker_id = $worker_id)
    AND ($team IS NULL OR c.team = $team)
),
names AS (
  SELECT upper(p.upn) AS upn,
    arg_max(p.forename, p.academic_year || CASE p.term WHEN 'summer' THEN '3' WHEN 'spring' THEN '2' ELSE '1' END) AS forename,
    arg_max(p.surname, p.academic_year || CASE p.term WHEN 'summer' THEN '3' WHEN 'spring' THEN '2' ELSE '1' END) AS surname
  FROM lake_pupils AS p
  WHERE upper(p.upn) IN (SELECT upn FROM allocations)
    AND {{in_scope:p}}
  GROUP BY upper(p.upn)
)
SELECT a.upn, a.la_child_id, a.worker_id, a.worker_name, a.team, a.start_date, n.forename, n.surname
FROM allocations AS a
LEFT JOIN names AS n USING (upn)
WHERE {{in_scope:a}}
ORDER BY n.surname NULLS LAST, n.forename, a.upn;
