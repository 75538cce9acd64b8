-- Children on open caseload allocations in an LA: one worker's ($worker_id), one team's
-- ($team), or everyone's (both NULL). Open on $today: start_date ≤ today ≤ end_date (or no end).
SELECT DISTINCT upper(upn) AS upn
FROM lake_caseloads
WHERE la_code = $la_code
  AND upn IS NOT NULL
  AND start_date <= CAST($today AS DATE)
  AND (end_date IS NULL OR end_date >= CAST($today AS DATE))
  AND ($worker_id IS NULL OR worker_id = $worker_id)
  AND ($team IS NULL OR team = $team);
