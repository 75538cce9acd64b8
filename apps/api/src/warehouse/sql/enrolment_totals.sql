-- Enrolment totals for one year and scope, by the DfE method (attendance-methodology.md §2): sum each enrolment's term rows for the year
-- and scope, drop enrolments with no possible sessions or with more absence than possible,
-- then flag persistent (≥ pa_percent) and severe (≥ sa_percent) absence on the enrolment's own
-- totals. Comparisons stay in integers (100 × absence ≥ percent × possible) so that exactly
-- 10 % is persistent, which 0.1 × possible in floating point would miss.
CREATE OR REPLACE MACRO enrolment_totals(year_name, scope_name, pa_percent, sa_percent) AS TABLE
WITH summed AS (
  SELECT
    la_code,
    urn,
    upn,
    CAST(sum(possible_sessions) AS BIGINT) AS possible_sessions,
    CAST(sum(present_sessions) AS BIGINT) AS present_sessions,
    CAST(sum(approved_educational_activity) AS BIGINT) AS approved_educational_activity,
    CAST(sum(authorised_absence) AS BIGINT) AS authorised_absence,
    CAST(sum(unauthorised_absence) AS BIGINT) AS unauthorised_absence,
    CAST(sum(overall_absence) AS BIGINT) AS overall_absence
  FROM fct_enrolment_term
  WHERE academic_year = year_name AND scope = scope_name
  GROUP BY la_code, urn, upn
)
SELECT
  *,
  100 * overall_absence >= pa_percent * possible_sessions AS persistent_absentee,
  100 * overall_absence >= sa_percent * possible_sessions AS severe_absentee
FROM summed
WHERE possible_sessions > 0 AND overall_absence <= possible_sessions;
