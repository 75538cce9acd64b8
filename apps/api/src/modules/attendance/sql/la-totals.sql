-- Session sums and persistent/severe counts for a year and scope: one row per LA of $la_codes
-- with data, and one for all of them together (la_code NULL). The pool sums the same
-- per-enrolment totals as each LA's row: sessions are summed, then divided; never rates averaged.
SELECT
  la_code,
  CAST(count(*) AS INTEGER) AS enrolments,
  CAST(coalesce(sum(possible_sessions), 0) AS BIGINT) AS possible_sessions,
  CAST(coalesce(sum(present_sessions), 0) AS BIGINT) AS present_sessions,
  CAST(coalesce(sum(approved_educational_activity), 0) AS BIGINT) AS approved_educational_activity,
  CAST(coalesce(sum(authorised_absence), 0) AS BIGINT) AS authorised_absence,
  CAST(coalesce(sum(unauthorised_absence), 0) AS BIGINT) AS unauthorised_absence,
  CAST(coalesce(sum(overall_absence), 0) AS BIGINT) AS overall_absence,
  CAST(count(*) FILTER (WHERE persistent_absentee) AS INTEGER) AS persistent_absentees,
  CAST(count(*) FILTER (WHERE severe_absentee) AS INTEGER) AS severe_absentees,
  CAST(grouping(la_code) AS INTEGER) AS is_pool
FROM enrolment_totals($academic_year, $scope)
WHERE la_code IN (SELECT unnest($la_codes))
GROUP BY GROUPING SETS ((la_code), ())
ORDER BY is_pool, la_code;
