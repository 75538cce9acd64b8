-- Pupil counts behind each school's figures for a year (DfE scope), to withhold small numbers.
SELECT
  urn,
  CAST(count(*) AS INTEGER) AS enrolments,
  CAST(count(*) FILTER (WHERE persistent_absentee) AS INTEGER) AS persistent_absentees,
  CAST(count(*) FILTER (WHERE severe_absentee) AS INTEGER) AS severe_absentees
FROM enrolment_totals($academic_year, 'dfe')
WHERE la_code = $la_code
GROUP BY urn;
