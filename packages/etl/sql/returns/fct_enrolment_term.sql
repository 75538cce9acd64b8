-- marts/fct_enrolment_term for one return (docs/warehouse.md): one row per enrolment × scope.
-- The session_aggregates placeholder is generated from the register-code table in @rollbook/metrics.
-- Parameters: $la (VARCHAR), $ay ('2024/25'), $term, $urn (INTEGER), $aug31 (DATE, start of the
-- academic year), $ht2 (DATE, first day of the summer second half-term), $min_age, $max_age.
WITH p AS (
  SELECT upn, nc_year, sex, ethnicity, sen_provision, enrol_status, fsm, eal, boarder, young_carer,
         dob, admission_date, leaving_date,
         CAST(date_sub('year', dob, CAST($aug31 AS DATE)) AS INTEGER) AS age_at_31_august
  FROM rb_pupils_typed
),
-- Marks pre-counted per pupil × code × side of every date where a code's meaning changes and of
-- the summer HT2 start: a few rows per pupil instead of ~130, counted with weights (same result).
counted AS (
  SELECT upn, mark, min(date) AS first_date, max(date) AS last_date, count(*) AS n,
         date >= CAST($ht2 AS DATE) AS in_ht2, {{boundary_keys}}
  FROM rb_marks_typed
  GROUP BY ALL
),
e AS (
  SELECT p.*, m.mark, m.first_date, m.last_date, m.n, m.in_ht2,
         min(m.first_date) OVER (PARTITION BY m.upn) AS enrolment_first_mark
  FROM counted m JOIN p USING (upn)
),
operational AS (
  SELECT upn, 'operational' AS scope, nc_year, sex, ethnicity, sen_provision, enrol_status, fsm, eal,
         boarder, young_carer, dob, admission_date, leaving_date, age_at_31_august,
         min(first_date) AS first_session, max(last_date) AS last_session,
         {{session_aggregates}}
  FROM e
  GROUP BY ALL
),
-- DfE statistics scope (methodology §2.2): compulsory school age (5–15 at 31 August), no boarders,
-- 15-year-olds' summer second half-term removed, enrolments first starting in summer HT2 left out.
dfe AS (
  SELECT upn, 'dfe' AS scope, nc_year, sex, ethnicity, sen_provision, enrol_status, fsm, eal,
         boarder, young_carer, dob, admission_date, leaving_date, age_at_31_august,
         min(first_date) AS first_session, max(last_date) AS last_session,
         {{session_aggregates}}
  FROM e
  WHERE age_at_31_august BETWEEN $min_age AND $max_age
    AND NOT boarder
    AND NOT (age_at_31_august = $max_age AND in_ht2)
    AND enrolment_first_mark < CAST($ht2 AS DATE)
  GROUP BY ALL
)
SELECT $la AS la_code, $ay AS academic_year, $term AS term, CAST($urn AS INTEGER) AS urn, *
FROM (SELECT * FROM operational UNION ALL BY NAME SELECT * FROM dfe)
ORDER BY scope, upn
