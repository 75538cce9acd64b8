-- fct_enrolment_term rows for the accepted returns of the batch (docs/warehouse.md): one row per
-- enrolment × scope, from the pre-counted marks (mark_counts.sql). Counts are grouped by
-- enrolment only; the pupil's details are joined afterwards. The session_aggregates placeholder is
-- generated from the register-code table in @rollbook/metrics. Parameters: $min_age, $max_age.
WITH r AS (SELECT * FROM b_returns WHERE accepted),
p AS (
  SELECT b.rid, b.upn, b.nc_year, b.sex, b.ethnicity, b.sen_provision, b.enrol_status, b.fsm, b.eal,
         b.boarder, b.young_carer, b.dob, b.admission_date, b.leaving_date,
         CAST(date_sub('year', b.dob, r.aug31) AS INTEGER) AS age_at_31_august
  FROM b_pupils_typed b JOIN r USING (rid)
),
m AS (SELECT c.* FROM b_mark_counts c SEMI JOIN r ON c.rid = r.rid),
firsts AS (SELECT rid, upn, min(first_date) AS enrolment_first_mark FROM m GROUP BY rid, upn),
operational AS (
  SELECT rid, upn, 'operational' AS scope, min(first_date) AS first_session, max(last_date) AS last_session,
         {{session_aggregates}}
  FROM m
  GROUP BY rid, upn
),
-- DfE statistics scope (methodology §2.2): compulsory school age (5–15 at 31 August), no boarders,
-- 15-year-olds' summer second half-term removed, enrolments first starting in summer HT2 left out.
dfe AS (
  SELECT m.rid, m.upn, 'dfe' AS scope, min(m.first_date) AS first_session, max(m.last_date) AS last_session,
         {{session_aggregates}}
  FROM m
  JOIN p USING (rid, upn)
  JOIN firsts f USING (rid, upn)
  JOIN r USING (rid)
  WHERE p.age_at_31_august BETWEEN $min_age AND $max_age
    AND NOT p.boarder
    AND NOT (p.age_at_31_august = $max_age AND m.in_ht2)
    AND f.enrolment_first_mark < r.ht2
  GROUP BY m.rid, m.upn
)
SELECT r.la_code AS la, r.path_year AS academic_year, r.term, r.la_code, r.urn,
       x.upn, x.scope, p.* EXCLUDE (rid, upn), x.* EXCLUDE (rid, upn, scope)
FROM (SELECT * FROM operational UNION ALL BY NAME SELECT * FROM dfe) x
JOIN p USING (rid, upn)
JOIN r USING (rid)
