-- Linking: children the LA's social care records hold on $today (an open status or an open
-- allocation, narrowed to one worker or team when given) whose UPN is missing or matches no
-- school return loaded. They are listed for follow-up — possibly children missing education.
-- Children with no UPN cannot be matched by scope, so only users holding the rows asked for ($show_without_upn) see them.
WITH held AS (
  SELECT s.la_code, s.la_child_id, upper(s.upn) AS upn, s.status AS reason
  FROM fct_child_status AS s
  WHERE s.la_code = $la_code
    AND $worker_id IS NULL AND $team IS NULL
    AND s.start_date <= CAST($today AS DATE)
    AND (s.end_date IS NULL OR s.end_date > CAST($today AS DATE))
  UNION
  SELECT c.la_code, c.la_child_id, upper(c.upn) AS upn, 'allocated' AS reason
  FROM lake_caseloads AS c
  WHERE c.la_code = $la_code
    AND c.start_date <= CAST($today AS DATE)
    AND (c.end_date IS NULL OR c.end_date >= CAST($today AS DATE))
    AND ($worker_id IS NULL OR c.worker_id = $worker_id)
    AND ($team IS NULL OR c.team = $team)
),
children AS (
  SELECT h.la_code, CAST(NULL AS INTEGER) AS urn, h.upn, h.la_child_id,
    string_agg(DISTINCT h.reason, ', ' ORDER BY h.reason) AS held_as
  FROM held AS h
  GROUP BY h.la_code, h.upn, h.la_child_id
)
SELECT c.la_child_id, c.upn, c.held_as,
  CASE WHEN c.upn IS NULL OR c.upn = '' THEN 'no_upn' ELSE 'no_school_record' END AS problem
FROM children AS c
WHERE (c.upn IS NULL OR c.upn = '' OR NOT EXISTS (SELECT 1 FROM lake_pupils AS p WHERE upper(p.upn) = c.upn))
  AND ({{in_scope:c}} OR ((c.upn IS NULL OR c.upn = '') AND $show_without_upn))
ORDER BY problem, c.la_child_id;
