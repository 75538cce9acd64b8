-- Children the virtual school follows in an LA on $today: looked after, or with a social worker
-- (an open child protection or child in need status, or an open caseload allocation).
SELECT DISTINCT upper(upn) AS upn
FROM fct_child_status
WHERE la_code = $la_code
  AND upn IS NOT NULL
  AND start_date <= CAST($today AS DATE)
  AND (end_date IS NULL OR end_date > CAST($today AS DATE))
UNION
SELECT DISTINCT upper(upn) AS upn
FROM lake_caseloads
WHERE la_code = $la_code
  AND upn IS NOT NULL
  AND start_date <= CAST($today AS DATE)
  AND (end_date IS NULL OR end_date >= CAST($today AS DATE));
