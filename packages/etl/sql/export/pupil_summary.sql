-- Pupil summary (FORMATS.md §5): one row per enrolment, columns in the contract's order, rates
-- and flags by the rules of @rollbook/metrics (generated placeholders), `Y`/`N` flags.
-- penalty_threshold_met: the penalty-notice threshold (10 unauthorised sessions in 10 school
-- weeks, methodology §5.1) held on some school day of the period (rb_x_triggers).
SELECT e.urn, e.upn, e.nc_year,
  e.possible_sessions, e.present_sessions, e.approved_educational_activity, e.authorised_absence,
  e.unauthorised_absence, e.overall_absence, e.late_sessions,
  {{attendance_perc}} AS attendance_perc,
  {{overall_absence_perc}} AS overall_absence_perc,
  {{authorised_absence_perc}} AS authorised_absence_perc,
  {{unauthorised_absence_perc}} AS unauthorised_absence_perc,
  CASE WHEN {{persistent}} THEN 'Y' ELSE 'N' END AS persistent_absentee,
  CASE WHEN {{severe}} THEN 'Y' ELSE 'N' END AS severe_absentee,
  {{absence_band}} AS absence_band,
  {{days_missed}} AS days_missed,
  CASE WHEN t.penalty_notice_met_on IS NOT NULL THEN 'Y' ELSE 'N' END AS penalty_threshold_met,
  {{reason_columns}}
FROM rb_x_enrolments e
LEFT JOIN rb_x_triggers t USING (urn, upn)
ORDER BY e.urn, e.upn
