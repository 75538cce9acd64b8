-- Schools with a return loaded for a term: all of an LA's ($all), or only the URNs given. No
-- pupil data: one row per school.
SELECT DISTINCT e.urn, s.name
FROM fct_enrolment_term AS e
LEFT JOIN dim_school AS s ON s.urn = e.urn
WHERE e.la_code = $la_code
  AND e.academic_year = $academic_year
  AND e.term = $term
  AND ($all OR list_contains($urns, e.urn))
ORDER BY s.name NULLS LAST, e.urn;
