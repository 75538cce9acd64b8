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
e AS (
  SELECT p.*, m.date, m.mark,
         min(m.date) OVER (PARTITION BY m.upn) AS enrolment_first_mark
  FROM rb_marks_typed m JOIN p USING (upn)
),
operational AS (
  SELECT upn, 'operational' AS scope, nc_year, sex, ethnicity, sen_provision, enrol_status, fsm, eal,
         boarder, young_carer, dob, admission_date, leaving_date, age_at_31_august,
         min(date) AS first_session, max(date) AS last_session,
         {{session_aggregates}}
  FROM e
  GROUP BY ALL
),
-- DfE statistics scope (methodology §2.2): compulsory school age (5–15 at 31 August), no boarders,
-- 15-year-olds' summer second half-term removed, enrolments first starting in summer HT2 left out.
dfe AS (
  SELECT upn, 'dfe' AS scope, nc_year, sex, ethnicity, sen_provision, enrol_status, fsm, eal,
         boarder, young_carer, dob, admission_date, leaving_date, age_at_31_august,
         min(date) AS first_session, max(date) AS last_session,
         {{session_aggregates}}
  FROM e
  WHERE age_at_31_august BETWEEN $min_age AND $max_age
    AND NOT boarder
    AND NOT (age_at_31_august = $max_age AND date >= CAST($ht2 AS DATE))
    AND enrolment_first_mark < CAST($ht2 AS DATE)
  GROUP BY ALL
)
SELECT $la AS la_code, $ay AS academic_year, $term AS term, CAST($urn AS INTEGER) AS urn, *
FROM (SELECT * FROM operational UNION ALL BY NAME SELECT * FROM dfe)
ORDER BY scope, upn
