-- Stand-in while no return has been loaded.
CREATE OR REPLACE VIEW lake_pupils AS
SELECT
  NULL::VARCHAR AS la_code, NULL::VARCHAR AS academic_year, NULL::VARCHAR AS term, NULL::INTEGER AS urn,
  NULL::VARCHAR AS upn, NULL::VARCHAR AS forename, NULL::VARCHAR AS surname, NULL::DATE AS dob,
  NULL::VARCHAR AS nc_year
WHERE false;
