-- One row per school in the loaded school list (docs/warehouse.md).
CREATE OR REPLACE VIEW dim_school AS
SELECT * FROM read_parquet(:glob, union_by_name = true);
