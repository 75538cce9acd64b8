-- One row per enrolment × cohort it belongs to, for a year in DfE scope (every enrolment's terms
-- summed first, as enrolment_totals does), for one LA ($la_code) and optionally one school ($urn).
-- Cohort attributes are the enrolment's latest term. Social care: a child with a social worker
-- (child in need or child protection) or looked after at any time in the year (fct_child_status).
-- The caller groups it by (dimension, cohort) with populationSummarySql from @rollbook/metrics.
WITH terms AS (
  SELECT *, CASE term WHEN 'autumn' THEN 1 WHEN 'spring' THEN 2 ELSE 3 END AS term_order
  FROM fct_enrolment_term
  WHERE academic_year = $academic_year AND scope = 'dfe' AND la_code = $la_code
    AND ($urn IS NULL OR urn = $urn)
),
enrolments AS (
  SELECT
    urn, upn,
    CAST(sum(possible_sessions) AS BIGINT) AS possible_sessions,
    CAST(sum(present_sessions) AS BIGINT) AS present_sessions,
    CAST(sum(approved_educational_activity) AS BIGINT) AS approved_educational_activity,
    CAST(sum(authorised_absence) AS BIGINT) AS authorised_absence,
    CAST(sum(unauthorised_absence) AS BIGINT) AS unauthorised_absence,
    CAST(sum(overall_absence) AS BIGINT) AS overall_absence,
    CAST(sum(late_sessions) AS BIGINT) AS late_sessions,
    arg_max(fsm, term_order) AS fsm,
    arg_max(sen_provision, term_order) AS sen_provision,
    arg_max(sex, term_order) AS sex,
    arg_max(ethnicity, term_order) AS ethnicity,
    arg_max(nc_year, term_order) AS nc_year
  FROM terms
  GROUP BY urn, upn
  HAVING sum(possible_sessions) > 0 AND sum(overall_absence) <= sum(possible_sessions)
),
care AS (
  SELECT
    upper(upn) AS upn,
    bool_or(status = 'looked_after') AS looked_after,
    bool_or(status IN ('child_in_need', 'child_protection')) AS social_worker
  FROM fct_child_status
  WHERE la_code = $la_code AND upn IS NOT NULL
    AND start_date <= $year_end AND (end_date IS NULL OR end_date >= $year_start)
  GROUP BY upper(upn)
),
tagged AS (
  SELECT e.*, coalesce(c.looked_after, false) AS looked_after, coalesce(c.social_worker, false) AS social_worker
  FROM enrolments AS e LEFT JOIN care AS c ON c.upn = upper(e.upn)
)
SELECT 'all' AS dimension, 'All pupils' AS cohort, * FROM tagged
UNION ALL BY NAME
SELECT 'fsm' AS dimension, CASE WHEN fsm THEN 'FSM' ELSE 'Not FSM' END AS cohort, * FROM tagged
UNION ALL BY NAME
SELECT 'sen' AS dimension, CASE sen_provision WHEN 'E' THEN 'EHC plan' WHEN 'K' THEN 'SEN support' ELSE 'No SEN' END AS cohort, * FROM tagged
UNION ALL BY NAME
SELECT 'social_care' AS dimension, 'With a social worker' AS cohort, * FROM tagged WHERE social_worker
UNION ALL BY NAME
SELECT 'social_care' AS dimension, 'Looked after' AS cohort, * FROM tagged WHERE looked_after
UNION ALL BY NAME
SELECT 'sex' AS dimension, CASE sex WHEN 'F' THEN 'Girls' WHEN 'M' THEN 'Boys' ELSE 'Not known' END AS cohort, * FROM tagged
UNION ALL BY NAME
SELECT 'ethnicity' AS dimension, coalesce(ethnicity, 'Not known') AS cohort, * FROM tagged
UNION ALL BY NAME
SELECT 'year_group' AS dimension, 'Year ' || coalesce(nc_year, '?') AS cohort, * FROM tagged
