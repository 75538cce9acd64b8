-- Each school's pupil counts for a year (DfE scope, per-enrolment totals, as laOverview): the
-- "where to help first" profiles, and the counts behind school figures for small-number suppression.
-- The enrolments placeholder is enrolment_totals($academic_year, 'dfe'), or one term's totals (enrolment-term-totals.sql).
SELECT
  e.urn,
  any_value(s.name) AS name,
  CAST(count(*) AS INTEGER) AS enrolments,
  CAST(sum(e.possible_sessions) AS BIGINT) AS possible_sessions,
  CAST(sum(e.overall_absence) AS BIGINT) AS overall_absence,
  CAST(count(*) FILTER (WHERE e.persistent_absentee) AS INTEGER) AS persistent_absentees,
  CAST(count(*) FILTER (WHERE e.severe_absentee) AS INTEGER) AS severe_absentees
FROM {{enrolments}} AS e
LEFT JOIN dim_school AS s ON s.urn = e.urn
WHERE e.la_code = $la_code
GROUP BY e.urn;
