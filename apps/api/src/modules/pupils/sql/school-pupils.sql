-- Pupils of one school ($urn) in a year and metric scope, in the request's access scope only:
-- each enrolment's session counts summed over the terms loaded, with the name the school's
-- latest return gave. Both pupil relations carry the access filter.
WITH enrolments AS (
  SELECT
    upper(e.upn) AS upn,
    arg_max(e.nc_year, CASE e.term WHEN 'summer' THEN 3 WHEN 'spring' THEN 2 ELSE 1 END) AS nc_year,
    CAST(sum(e.possible_sessions) AS BIGINT) AS possible_sessions,
    CAST(sum(e.present_sessions) AS BIGINT) AS present_sessions,
    CAST(sum(e.approved_educational_activity) AS BIGINT) AS approved_educational_activity,
    CAST(sum(e.authorised_absence) AS BIGINT) AS authorised_absence,
    CAST(sum(e.unauthorised_absence) AS BIGINT) AS unauthorised_absence,
    CAST(sum(e.overall_absence) AS BIGINT) AS overall_absence,
    CAST(sum(e.late_sessions) AS BIGINT) AS late_sessions
  FROM fct_enrolment_term AS e
  WHERE e.urn = $urn
    AND e.academic_year = $academic_year
    AND e.scope = $metric_scope
    AND {{in_scope:e}}
  GROUP BY upper(e.upn)
),
names AS (
  SELECT
    upper(p.upn) AS upn,
    arg_max(p.forename, CASE p.term WHEN 'summer' THEN 3 WHEN 'spring' THEN 2 ELSE 1 END) AS forename,
    arg_max(p.surname, CASE p.term WHEN 'summer' THEN 3 WHEN 'spring' THEN 2 ELSE 1 END) AS surname
  FROM lake_pupils AS p
  WHERE p.urn = $urn
    AND p.academic_year = $academic_year
    AND {{in_scope:p}}
  GROUP BY upper(p.upn)
)
SELECT e.*, n.forename, n.surname
FROM enrolments AS e
LEFT JOIN names AS n USING (upn)
ORDER BY n.surname NULLS LAST, n.forename, e.upn;
