-- Overall absence rate by term (DfE scope) for this year and the year before, for an LA or one
-- school ($urn NULL for the whole LA). Sum then divide (attendance-methodology.md §2).
SELECT
  academic_year,
  term,
  CAST(sum(possible_sessions) AS BIGINT) AS possible_sessions,
  CAST(sum(overall_absence) AS BIGINT) AS overall_absence,
  CAST(count(DISTINCT upn) AS INTEGER) AS pupils
FROM fct_enrolment_term
WHERE academic_year IN ($academic_year, $previous_year) AND scope = 'dfe' AND la_code = $la_code
  AND ($urn IS NULL OR urn = $urn)
GROUP BY academic_year, term;
