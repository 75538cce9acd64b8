-- Enrolments of one school ($urn), term by term, for the TSM pack: the pack's term, the term
-- before, and the terms of earlier meetings. Operational scope (every pupil on roll), with the
-- name and characteristics the school's return gave and the social-care flags. Both pupil
-- relations carry the access filter; child status is joined only to those rows.
WITH e AS (
  SELECT
    e.*,
    upper(e.upn) AS pupil_upn
  FROM fct_enrolment_term AS e
  WHERE e.urn = $urn
    AND e.scope = 'operational'
    AND list_contains($terms, e.academic_year || ' ' || e.term)
    AND {{in_scope:e}}
),
names AS (
  -- The newest name any return of this school gave (a later term's return may not be loaded).
  SELECT
    upper(p.upn) AS pupil_upn,
    arg_max(p.forename, p.academic_year || CASE p.term WHEN 'summer' THEN '3' WHEN 'spring' THEN '2' ELSE '1' END) AS forename,
    arg_max(p.surname, p.academic_year || CASE p.term WHEN 'summer' THEN '3' WHEN 'spring' THEN '2' ELSE '1' END) AS surname
  FROM lake_pupils AS p
  WHERE p.urn = $urn
    AND {{in_scope:p}}
  GROUP BY ALL
),
suspended AS (
  -- Suspensions and exclusions the school's returns gave for the terms asked, per pupil and term.
  SELECT upper(x.upn) AS pupil_upn, x.academic_year, x.term, CAST(count(*) AS INTEGER) AS suspensions
  FROM lake_suspensions AS x
  WHERE x.urn = $urn
    AND list_contains($terms, x.academic_year || ' ' || x.term)
    AND {{in_scope:x}}
  GROUP BY ALL
),
status AS (
  SELECT
    upper(s.upn) AS pupil_upn,
    bool_or(s.status = 'looked_after') AS looked_after,
    bool_or(s.status IN ('child_in_need', 'child_protection')) AS social_worker
  FROM fct_child_status AS s
  WHERE (s.end_date IS NULL OR s.end_date >= CAST($on AS DATE))
    AND s.start_date <= CAST($on AS DATE)
    AND upper(s.upn) IN (SELECT pupil_upn FROM e)
  GROUP BY ALL
)
SELECT
  e.* EXCLUDE (pupil_upn),
  e.pupil_upn,
  n.forename,
  n.surname,
  coalesce(s.looked_after, false) AS looked_after,
  coalesce(s.social_worker, false) AS social_worker,
  coalesce(x.suspensions, 0) AS suspensions
FROM e
LEFT JOIN names AS n ON n.pupil_upn = e.pupil_upn
LEFT JOIN status AS s ON s.pupil_upn = e.pupil_upn
LEFT JOIN suspended AS x ON x.pupil_upn = e.pupil_upn AND x.academic_year = e.academic_year AND x.term = e.term
ORDER BY n.surname NULLS LAST, n.forename, e.pupil_upn, e.academic_year, e.term;
