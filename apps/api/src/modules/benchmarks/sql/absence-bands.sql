-- Enrolments of a school by their overall absence over the year (DfE scope, per-enrolment totals).
SELECT
  CASE
    WHEN overall_absence * 100 < possible_sessions * 5 THEN 1
    WHEN overall_absence * 100 < possible_sessions * 10 THEN 2
    WHEN overall_absence * 100 < possible_sessions * 20 THEN 3
    WHEN overall_absence * 100 < possible_sessions * 50 THEN 4
    ELSE 5
  END AS band,
  CAST(count(*) AS INTEGER) AS enrolments
FROM enrolment_totals($academic_year, 'dfe')
WHERE urn = $urn
GROUP BY band
ORDER BY band;
