-- One named child's attendance, term by term, at every school the access scope shows them at
-- (every pupil on roll: the operational scope).
SELECT
  e.academic_year,
  e.term,
  e.urn,
  s.name AS school_name,
  e.nc_year,
  e.possible_sessions,
  e.present_sessions,
  e.approved_educational_activity,
  e.authorised_absence,
  e.unauthorised_absence,
  e.overall_absence,
  e.late_sessions
FROM fct_enrolment_term AS e
LEFT JOIN dim_school AS s ON s.urn = e.urn
WHERE upper(e.upn) = $upn
  AND e.scope = 'operational'
  AND {{in_scope:e}}
ORDER BY e.academic_year, CASE e.term WHEN 'autumn' THEN 1 WHEN 'spring' THEN 2 ELSE 3 END, e.urn;
