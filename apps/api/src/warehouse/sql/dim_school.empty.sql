-- Stand-in while no school list has been loaded.
CREATE OR REPLACE VIEW dim_school AS
SELECT
  NULL::INTEGER AS urn, NULL::INTEGER AS laestab, NULL::VARCHAR AS la_code,
  NULL::VARCHAR AS la_name, NULL::VARCHAR AS name, NULL::VARCHAR AS phase,
  NULL::VARCHAR AS type_of_establishment, NULL::VARCHAR AS region_name,
  NULL::VARCHAR AS postcode, NULL::INTEGER AS headcount, NULL::DOUBLE AS fsm_pct,
  NULL::DOUBLE AS eal_pct
WHERE false;
