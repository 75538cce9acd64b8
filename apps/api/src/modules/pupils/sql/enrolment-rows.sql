-- Enrolment × term rows of a year (and, when $urn is not NULL, of one school), in the access
-- scope only, for the bulk Arrow download.
SELECT
  e.la_code,
  e.academic_year,
  e.term,
  e.urn,
  e.upn,
  e.scope,
  e.nc_year,
  e.possible_sessions,
  e.present_sessions,
  e.approved_educational_activity,
  e.authorised_absence,
  e.unauthorised_absence,
  e.overall_absence,
  e.late_sessions
FROM fct_enrolment_term AS e
WHERE e.academic_year = $academic_year
  AND ($urn IS NULL OR e.urn = $urn)
  AND {{in_scope:e}}
ORDER BY e.urn, e.upn, CASE e.term WHEN 'autumn' THEN 1 WHEN 'spring' THEN 2 ELSE 3 END, e.scope;
