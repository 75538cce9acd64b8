-- Per-school session sums and persistent/severe counts for a year and scope: every school of
-- an LA ($la_code) or one school ($urn); pass NULL for the filter not used.
SELECT
  e.urn,
  min(e.la_code) AS la_code,
  s.name,
  s.phase,
  CAST(count(*) AS INTEGER) AS enrolments,
  CAST(sum(e.possible_sessions) AS BIGINT) AS possible_sessions,
  CAST(sum(e.present_sessions) AS BIGINT) AS present_sessions,
  CAST(sum(e.approved_educational_activity) AS BIGINT) AS approved_educational_activity,
  CAST(sum(e.authorised_absence) AS BIGINT) AS authorised_absence,
  CAST(sum(e.unauthorised_absence) AS BIGINT) AS unauthorised_absence,
  CAST(sum(e.overall_absence) AS BIGINT) AS overall_absence,
  CAST(count(*) FILTER (WHERE e.persistent_absentee) AS INTEGER) AS persistent_absentees,
  CAST(count(*) FILTER (WHERE e.severe_absentee) AS INTEGER) AS severe_absentees
FROM enrolment_totals($academic_year, $scope) AS e
LEFT JOIN dim_school AS s ON s.urn = e.urn
WHERE ($la_code IS NULL OR e.la_code = $la_code)
  AND ($urn IS NULL OR e.urn = $urn)
GROUP BY e.urn, s.name, s.phase
ORDER BY s.name NULLS LAST, e.urn;
