-- Which social worker holds which child (lake/social-care/caseloads, docs/warehouse.md);
-- end_date NULL while the allocation is open.
CREATE OR REPLACE VIEW lake_caseloads AS
SELECT
  la AS la_code, worker_id, worker_name, worker_email, team, la_child_id, upn,
  CAST(start_date AS DATE) AS start_date, CAST(end_date AS DATE) AS end_date
FROM read_parquet(:glob, hive_partitioning = true, union_by_name = true, hive_types = {'la': VARCHAR});
