-- Row-level checks of the batch's amendments (b_amendments): the register's amendment history
-- (original entry, amended entry, reason, when and by whom: the 2024 registration regulations
-- require all of them). Parameter: $per_code.
WITH a AS (
  SELECT b.*, b.rowid AS rn, try_strptime(b.date, '%Y-%m-%d')::DATE AS d, try_strptime(b.amended_on, '%Y-%m-%d')::DATE AS on_d,
         r.urn_text AS expected_urn, r.academic_year
  FROM b_amendments b JOIN b_returns r USING (rid)
), failures AS (
  SELECT rid, 'AMENDMENT_URN_MISMATCH' AS code, rn, 'urn' AS col, urn AS value, 'URN does not match the school of this return (' || expected_urn || ')' AS message
  FROM a WHERE urn IS DISTINCT FROM expected_urn
  UNION ALL
  SELECT a.rid, 'AMENDMENT_PUPIL_UNKNOWN', a.rn, 'upn', a.upn, 'pupil is not in pupils.csv'
  FROM a ANTI JOIN b_pupils_typed p ON a.rid = p.rid AND a.upn = p.upn
  UNION ALL
  SELECT rid, 'AMENDMENT_DATE_INVALID', rn, 'date', date, 'expected a date YYYY-MM-DD' FROM a WHERE d IS NULL
  UNION ALL
  SELECT rid, 'AMENDMENT_SESSION_INVALID', rn, 'session', session, 'expected AM or PM' FROM a WHERE session IS NULL OR session NOT IN ('AM', 'PM')
  UNION ALL
  SELECT a.rid, 'AMENDMENT_ORIGINAL_CODE_INVALID', a.rn, 'original_mark', a.original_mark, 'not a register code valid in this academic year'
  FROM a ANTI JOIN b_codes c ON c.academic_year = a.academic_year AND c.code = a.original_mark
  UNION ALL
  SELECT a.rid, 'AMENDMENT_AMENDED_CODE_INVALID', a.rn, 'amended_mark', a.amended_mark, 'not a register code valid in this academic year'
  FROM a ANTI JOIN b_codes c ON c.academic_year = a.academic_year AND c.code = a.amended_mark
  UNION ALL
  SELECT rid, 'AMENDMENT_REASON_MISSING', rn, 'reason', reason, 'the reason for the amendment must be recorded' FROM a WHERE reason IS NULL
  UNION ALL
  SELECT rid, 'AMENDMENT_WHO_MISSING', rn, 'amended_by', amended_by, 'who made the amendment must be recorded' FROM a WHERE amended_by IS NULL
  UNION ALL
  SELECT rid, 'AMENDMENT_ON_INVALID', rn, 'amended_on', amended_on, 'expected a date YYYY-MM-DD' FROM a WHERE on_d IS NULL
  UNION ALL
  SELECT rid, 'AMENDMENT_BEFORE_SESSION', rn, 'amended_on', amended_on, 'the amendment is dated before the session it amends' FROM a WHERE on_d < d
  UNION ALL
  -- The latest amendment of a session must match what the register (marks.csv) now shows.
  SELECT a.rid, 'AMENDMENT_NOT_IN_REGISTER', a.rn, 'amended_mark', a.amended_mark, 'the amended mark is not the mark in marks.csv for that pupil and session'
  FROM a JOIN b_marks m ON m.rid = a.rid AND m.upn = a.upn AND m.date = a.d AND m.session = a.session
  WHERE m.mark IS DISTINCT FROM a.amended_mark
    AND NOT EXISTS (SELECT 1 FROM a later WHERE later.rid = a.rid AND later.upn = a.upn AND later.d = a.d AND later.session = a.session AND later.on_d > a.on_d)
)
SELECT rid, code, rn, col, value, message, CAST(count(*) OVER (PARTITION BY rid, code) AS INTEGER) AS total
FROM failures
QUALIFY row_number() OVER (PARTITION BY rid, code ORDER BY rn) <= $per_code
ORDER BY rid, code, rn
