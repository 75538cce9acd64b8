-- One named child's name and date of birth, from the latest return the access scope shows.
SELECT p.forename, p.surname, p.dob
FROM lake_pupils AS p
WHERE upper(p.upn) = $upn
  AND {{in_scope:p}}
ORDER BY p.academic_year DESC, CASE p.term WHEN 'summer' THEN 3 WHEN 'spring' THEN 2 ELSE 1 END DESC
LIMIT 1;
