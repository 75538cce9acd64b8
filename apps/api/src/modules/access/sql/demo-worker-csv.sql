-- The same, from the demo's caseloads.csv when social care has not been loaded into the lake.
SELECT worker_id, team
FROM read_csv($path, header = true, all_varchar = true)
WHERE CAST(start_date AS DATE) <= CAST($today AS DATE)
  AND (coalesce(end_date, '') = '' OR CAST(end_date AS DATE) >= CAST($today AS DATE))
GROUP BY worker_id, team
ORDER BY count(DISTINCT upn) DESC, worker_id
LIMIT 1;
