-- One LA's session sums and persistent/severe counts for a year and scope.
SELECT
  CAST(count(*) AS INTEGER) AS enrolments,
  CAST(coalesce(sum(possible_sessions), 0) AS BIGINT) AS possible_sessions,
  CAST(coalesce(sum(present_sessions), 0) AS BIGINT) AS present_sessions,
  CAST(coalesce(sum(approved_educational_activity), 0) AS BIGINT) AS approved_educational_activity,
  CAST(coalesce(sum(authorised_absence), 0) AS BIGINT) AS authorised_absence,
  CAST(coalesce(sum(unauthorised_absence), 0) AS BIGINT) AS unauthorised_absence,
  CAST(coalesce(sum(overall_absence), 0) AS BIGINT) AS overall_absence,
  CAST(count(*) FILTER (WHERE persistent_absentee) AS INTEGER) AS persistent_absentees,
  CAST(count(*) FILTER (WHERE severe_absentee) AS INTEGER) AS severe_absentees
FROM enrolment_totals($academic_year, $scope)
WHERE la_code = $la_code;
