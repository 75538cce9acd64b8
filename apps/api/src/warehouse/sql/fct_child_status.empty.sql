-- Stand-in while no social care has been loaded.
CREATE OR REPLACE VIEW fct_child_status AS
SELECT
  NULL::VARCHAR AS la_code, NULL::VARCHAR AS la_child_id, NULL::VARCHAR AS upn, NULL::VARCHAR AS status,
  NULL::DATE AS start_date, NULL::DATE AS end_date, NULL::VARCHAR AS source
WHERE false;
