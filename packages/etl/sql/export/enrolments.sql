-- One row per enrolment (school × pupil) with its session measures over the period, counted
-- with the register-code table (<session_aggregates> from @rollbook/metrics, weighted by the
-- pre-counted n), for the scope asked for: 'operational' counts every mark in the period; 'dfe'
-- only marks in the DfE statistics scope, and drops enrolments left with no possible sessions
-- (methodology §8 rule 5). nc_year is the one on the enrolment's latest mark in the period.
-- Parameters: $scope ('dfe' | 'operational').
CREATE OR REPLACE TEMP TABLE rb_x_enrolments AS
SELECT * FROM (
  SELECT la_code, urn, upn, arg_max(nc_year, last_date) AS nc_year,
    {{session_aggregates}}
  FROM rb_x_counted
  WHERE in_period AND ($scope = 'operational' OR in_dfe)
  GROUP BY la_code, urn, upn
)
WHERE $scope = 'operational' OR possible_sessions > 0
