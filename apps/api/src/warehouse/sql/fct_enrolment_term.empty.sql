-- Stand-in while no fct_enrolment_term file exists: same columns the readers use, no rows.
CREATE OR REPLACE VIEW fct_enrolment_term AS
SELECT
  NULL::VARCHAR AS la_code, NULL::VARCHAR AS academic_year, NULL::VARCHAR AS term,
  NULL::INTEGER AS urn, NULL::VARCHAR AS upn, NULL::VARCHAR AS scope,
  NULL::VARCHAR AS nc_year, NULL::INTEGER AS age_at_31_august,
  NULL::INTEGER AS possible_sessions, NULL::INTEGER AS present_sessions,
  NULL::INTEGER AS approved_educational_activity, NULL::INTEGER AS authorised_absence,
  NULL::INTEGER AS unauthorised_absence, NULL::INTEGER AS overall_absence,
  NULL::INTEGER AS late_sessions
WHERE false;
