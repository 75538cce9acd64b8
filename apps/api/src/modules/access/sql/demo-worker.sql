-- The social worker holding most children on open allocations today, and their team.
SELECT worker_id, team
FROM lake_caseloads
WHERE la_code = $la_code
  AND start_date <= CAST($today AS DATE)
  AND (end_date IS NULL OR end_date >= CAST($today AS DATE))
GROUP BY worker_id, team
ORDER BY count(DISTINCT upn) DESC, worker_id
LIMIT 1;
