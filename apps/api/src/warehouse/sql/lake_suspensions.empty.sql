-- Stand-in while no return with suspensions has been loaded.
CREATE OR REPLACE VIEW lake_suspensions AS
SELECT
  NULL::VARCHAR AS la_code, NULL::VARCHAR AS academic_year, NULL::VARCHAR AS term, NULL::INTEGER AS urn,
  NULL::VARCHAR AS upn, NULL::VARCHAR AS category, NULL::DATE AS start_date, NULL::INTEGER AS sessions,
  NULL::VARCHAR AS reason
WHERE false;
