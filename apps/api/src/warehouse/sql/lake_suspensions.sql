-- Suspensions and permanent exclusions as each termly return gave them (lake/suspensions).
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
  union_by_name = true,
  hive_types = {'la': VARCHAR, 'academic_year': VARCHAR, 'term': VARCHAR, 'urn': INTEGER}
);
