-- Stand-in while no caseloads file has been loaded.
CREATE OR REPLACE VIEW lake_caseloads AS
SELECT
  NULL::VARCHAR AS la_code, NULL::VARCHAR AS worker_id, NULL::VARCHAR AS worker_name,
  NULL::VARCHAR AS worker_email, NULL::VARCHAR AS team, NULL::VARCHAR AS la_child_id,
  NULL::VARCHAR AS upn, NULL::DATE AS start_date, NULL::DATE AS end_date
WHERE false;
