-- Suspensions and permanent exclusions of the children $upns in $academic_year, in the access scope only.
SELECT upper(s.upn) AS upn, s.urn, s.category, CAST(s.start_date AS VARCHAR) AS start_date, s.sessions
FROM lake_suspensions AS s
WHERE s.academic_year = $academic_year
  AND upper(s.upn) IN (SELECT unnest($upns))
  AND {{in_scope:s}}
ORDER BY upn, s.start_date;
