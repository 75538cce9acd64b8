-- fct_enrolment_term rows for the accepted returns of the batch (docs/warehouse.md): one row per
-- enrolment × scope, from the pre-counted marks (mark_counts.sql). The register-code counts are
-- taken once per enrolment and side of the summer HT2 start, packed four to a BIGINT (the
-- session_aggregates placeholder: packedSessionAggregatesSql, generated from the register-code
-- table in @rollbook/metrics); each scope adds up those two parts' packs side by side
-- (operational_sums, dfe_sums: packs are additive), so the marks are counted once, not once per
-- scope, and no second grouping is needed. The packs are read back into the count columns at the
-- end (session_counts), where the pupil's details are joined. Parameters: $min_age, $max_age.
WITH r AS (SELECT * FROM b_returns WHERE accepted),
p AS (
  SELECT b.rid, b.upn, b.nc_year, b.sex, b.ethnicity, b.sen_provision, b.enrol_status, b.fsm, b.eal,
         b.boarder, b.young_carer, b.dob, b.admission_date, b.leaving_date,
         CAST(date_sub('year', b.dob, r.aug31) AS INTEGER) AS age_at_31_august
  FROM b_pupils_typed b JOIN r USING (rid)
),
parts AS (
  SELECT c.rid, c.upn, c.in_ht2, min(c.first_date) AS first_session, max(c.last_date) AS last_session,
         {{session_aggregates}}
  FROM b_mark_counts c SEMI JOIN r ON c.rid = r.rid
  GROUP BY c.rid, c.upn, c.in_ht2
),
-- Each enrolment's two parts side by side, as structs: e its marks before summer HT2, h those in
-- summer HT2 (either may be missing: NULL).
enrolments AS (
  SELECT coalesce(e.rid, h.rid) AS rid, coalesce(e.upn, h.upn) AS upn, e, h
  FROM (SELECT * FROM parts WHERE NOT in_ht2) e
  FULL OUTER JOIN (SELECT * FROM parts WHERE in_ht2) h ON e.rid = h.rid AND e.upn = h.upn
),
operational AS (
  SELECT rid, upn, 'operational' AS scope, coalesce(e.first_session, h.first_session) AS first_session,
         coalesce(h.last_session, e.last_session) AS last_session,
         {{operational_sums}}
  FROM enrolments
),
-- DfE statistics scope (methodology §2.2): compulsory school age (5–15 at 31 August), no boarders,
-- 15-year-olds' summer second half-term removed, enrolments first starting in summer HT2 left out
-- (their part before HT2 is missing).
dfe AS (
  SELECT rid, upn, 'dfe' AS scope, e.first_session AS first_session,
         CASE WHEN keep_h THEN coalesce(h.last_session, e.last_session) ELSE e.last_session END AS last_session,
         {{dfe_sums}}
  FROM (
    SELECT x.rid, x.upn, x.e, x.h, p.age_at_31_august < $max_age AS keep_h
    FROM enrolments x JOIN p USING (rid, upn) JOIN r USING (rid)
    WHERE p.age_at_31_august BETWEEN $min_age AND $max_age
      AND NOT p.boarder
      AND x.e.first_session < r.ht2
  )
)
SELECT r.la_code AS la, r.path_year AS academic_year, r.term, r.la_code, r.urn,
       x.upn, x.scope, p.* EXCLUDE (rid, upn), x.first_session, x.last_session,
       {{session_counts}}
FROM (SELECT * FROM operational UNION ALL BY NAME SELECT * FROM dfe) x
JOIN p USING (rid, upn)
JOIN r USING (rid)
