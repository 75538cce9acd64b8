-- Date-effective social care status per child (docs/warehouse.md): looked after, child
-- protection, child in need; end_date NULL while open.
CREATE OR REPLACE VIEW fct_child_status AS
SELECT la_code, la_child_id, upn, status, start_date, end_date, source
FROM read_parquet(:glob, hive_partitioning = true, union_by_name = true, hive_types = {'la': VARCHAR});
