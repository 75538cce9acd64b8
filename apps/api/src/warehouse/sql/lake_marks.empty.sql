-- Stand-in while no return has been loaded.
CREATE OR REPLACE VIEW lake_marks AS
SELECT
  NULL::VARCHAR AS la_code, NULL::VARCHAR AS academic_year, NULL::VARCHAR AS term, NULL::INTEGER AS urn,
  NULL::VARCHAR AS upn, NULL::DATE AS date, NULL::VARCHAR AS session, NULL::VARCHAR AS mark
WHERE false;
