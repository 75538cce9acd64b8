-- Suspensions and permanent exclusions as each termly return gave them (lake/suspensions).
-- No union_by_name: the lake's columns are fixed (docs/warehouse.md, written by one ETL query), and
-- union_by_name reads every file's footer at every query (thousands of files with six years).
CREATE OR REPLACE VIEW lake_suspensions AS
SELECT
  concat(la, '') AS la_code,
  replace(academic_year, '-', '/') AS academic_year,
  term,
  urn,
  upn,
  category,
  start_date,
  sessions,
  reason
FROM read_parquet(
  :glob,
  hive_partitioning = true,
  hive_types = {'la': VARCHAR, 'academic_year': VARCHAR, 'term': VARCHAR, 'urn': INTEGER}
);
