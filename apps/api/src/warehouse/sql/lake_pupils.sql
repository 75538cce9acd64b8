-- Pupils as each termly return listed them (lake/pupils, docs/warehouse.md): names and dates of
-- birth live here, not in the marts. One row per return × pupil.
CREATE OR REPLACE VIEW lake_pupils AS
SELECT
  -- concat(): DuckDB 1.5 fails with "Unsupported type for NumericValueUnionToValue" when the
  -- access filter (la_code = … OR urn IN (…)) is pushed into a union_by_name Hive scan as is.
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
  union_by_name = true,
  hive_types = {'la': VARCHAR, 'academic_year': VARCHAR, 'term': VARCHAR, 'urn': INTEGER}
);
