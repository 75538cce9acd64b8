-- One child's ($upn) caseload allocations, open and closed, in the access scope only.
WITH allocations AS (
  SELECT c.la_code, CAST(NULL AS INTEGER) AS urn, upper(c.upn) AS upn, c.worker_name, c.worker_email, c.team,
    CAST(c.start_date AS VARCHAR) AS start_date, CAST(c.end_date AS VARCHAR) AS end_date
  FROM lake_caseloads AS c
  WHERE upper(c.upn) = $upn
)
SELECT * FROM allocations AS a
WHERE {{in_scope:a}}
ORDER BY a.start_date;
