-- fct_enrolment_term rows for the accepted returns of the batch (docs/warehouse.md): one row per
-- enrolment × scope, from the pre-counted marks (mark_counts.sql). The session_aggregates
-- placeholder is generated from the register-code table in @rollbook/metrics. Parameters:
-- $min_age, $max_age (DfE scope).
WITH r AS (SELECT * FROM b_returns WHERE accepted),
p AS (
  SELECT b.rid, b.upn, b.nc_year, b.sex, b.ethnicity, b.sen_provision, b.enrol_status, b.fsm, b.eal,
         b.boarder, b.young_carer, b.dob, b.admission_date, b.leaving_date,
         CAST(date_sub('year', b.dob, r.aug31) AS INTEGER) AS age_at_31_august
  FROM b_pupils_typed b JOIN r USING (rid)
),
e AS (
  SELECT p.*, m.mark, m.first_date, m.last_date, m.n, m.in_ht2, r.ht2,
         min(m.first_date) OVER (PARTITION BY m.rid, m.upn) AS enrolment_first_mark
  FROM b_mark_counts m JOIN p USING (rid, upn) JOIN r USING (rid)
),
operational AS (
  SELECT rid, upn, 'operational' AS scope, nc_year, sex, ethnicity, sen_provision, enrol_status, fsm, eal,
         boarder, young_carer, dob, admission_date, leaving_date, age_at_31_august,
         min(first_date) AS first_session, max(last_date) AS last_session,
         {{session_aggregates}}
  FROM e
  GROUP BY ALL
),
-- DfE statistics scope (methodology §2.2): compulsory school age (5–15 at 31 August), no boarders,
-- 15-year-olds' summer second half-term removed, enrolments first starting in summer HT2 left out.
dfe AS (
  SELECT rid, upn, 'dfe' AS scope, nc_year, sex, ethnicity, sen_provision, enrol_status, fsm, eal,
         boarder, young_carer, dob, admission_date, leaving_date, age_at_31_august,
         min(first_date) AS first_session, max(last_date) AS last_session,
         {{session_aggregates}}
  FROM e
  WHERE age_at_31_august BETWEEN $min_age AND $max_age
    AND NOT boarder
    AND NOT (age_at_31_august = $max_age AND in_ht2)
    AND enrolment_first_mark < ht2
  GROUP BY ALL
)
SELECT r.la_code AS la, r.path_year AS academic_year, r.term, r.la_code, r.urn, x.* EXCLUDE (rid)
FROM (SELECT * FROM operational UNION ALL BY NAME SELECT * FROM dfe) x JOIN r USING (rid)
