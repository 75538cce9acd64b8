-- One row per enrolment × term × scope (docs/warehouse.md). The Hive path carries
-- academic_year as '2024-25' and overrides the file's '2024/25': put the slash back.
-- The glob placeholder becomes a quoted string literal (DDL cannot take prepared parameters).
CREATE OR REPLACE VIEW fct_enrolment_term AS
SELECT * REPLACE (replace(academic_year, '-', '/') AS academic_year)
FROM read_parquet(
  :glob,
  hive_partitioning = true,
  union_by_name = true,
  hive_types = {'la': VARCHAR, 'academic_year': VARCHAR, 'term': VARCHAR}
);
