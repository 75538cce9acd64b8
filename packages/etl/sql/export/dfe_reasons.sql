-- Sessions per DfE published reason column (FORMATS.md §4) for each enrolment kept in
-- rb_x_enrolments, from the same pre-counted marks (<dfe_reason_aggregates> from @rollbook/metrics).
-- Parameters: $scope.
CREATE OR REPLACE TEMP TABLE rb_x_dfe_reasons AS
SELECT m.urn, m.upn, {{dfe_reason_aggregates}}
FROM rb_x_counted m SEMI JOIN rb_x_enrolments e ON e.urn = m.urn AND e.upn = m.upn
WHERE m.in_period AND ($scope = 'operational' OR m.in_dfe)
GROUP BY m.urn, m.upn
