-- The lake copy of a validated marks.csv: typed, in the order the school sent it.
-- Partition columns (la, academic_year, term, urn) live in the path, but urn is kept in the file
-- too so a single file is self-describing. Parameter: $urn (INTEGER).
SELECT
  CAST($urn AS INTEGER) AS urn,
  upper(upn) AS upn,
  strptime(date, '%Y-%m-%d')::DATE AS date,
  upper(session) AS session,
  upper(mark) AS mark,
  try_cast(minutes_late AS INTEGER) AS minutes_late
FROM rb_marks

