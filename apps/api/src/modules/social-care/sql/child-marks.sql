-- Register marks of the children $upns in $academic_year, at any school, in the access scope only.
SELECT upper(m.upn) AS upn, m.urn, CAST(m.date AS VARCHAR) AS date, m.session, m.mark
FROM lake_marks AS m
WHERE m.academic_year = $academic_year
  AND upper(m.upn) IN (SELECT unnest($upns))
  AND {{in_scope:m}}
ORDER BY upn, m.date, m.session;
