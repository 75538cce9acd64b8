-- One term's enrolment totals (DfE scope) by the method of the warehouse's enrolment_totals macro:
-- each enrolment's rows of the term summed, enrolments with no possible sessions or more absence
-- than possible left out, persistent and severe absence decided on the enrolment's own term
-- totals. The two flag placeholders are filled from @rollbook/metrics (persistentSql, severeSql:
-- thresholds written once). Read through school-counts.sql for the TSM pack's comparisons.
WITH summed AS (
  SELECT
    la_code,
    urn,
    upn,
    CAST(sum(possible_sessions) AS BIGINT) AS possible_sessions,
    CAST(sum(overall_absence) AS BIGINT) AS overall_absence
  FROM fct_enrolment_term
  WHERE academic_year = $academic_year AND term = $term AND scope = 'dfe'
  GROUP BY la_code, urn, upn
)
SELECT
  *,
  {{persistent_absentee}} AS persistent_absentee,
  {{severe_absentee}} AS severe_absentee
FROM summed
WHERE possible_sessions > 0 AND overall_absence <= possible_sessions
