-- Pupils as each termly return listed them (lake/pupils, docs/warehouse.md): names and dates of
-- birth live here, not in the marts. One row per return × pupil.
-- No union_by_name: the lake's columns are fixed (docs/warehouse.md, written by one ETL query), and
-- union_by_name reads every file's footer at every query (thousands of files with six years).
CREATE OR REPLACE VIEW lake_pupils AS
SELECT
  -- concat(): DuckDB 1.5 fails with "Unsupported type for NumericValueUnionToValue" when the
  -- access filter (la_code = … OR urn IN (…)) is pushed into a Hive scan as is (seen with union_by_name).
  concat(la, '') AS la_code,
  replace(academic_year, '-', '/') AS academic_year,
  term,
  urn,
  upn,
  forename,
  surname,
  dob,
  nc_year
FROM read_parquet(
  :glob,
  hive_partitioning = true,
  hive_types = {'la': VARCHAR, 'academic_year': VARCHAR, 'term': VARCHAR, 'urn': INTEGER}
);
