-- Row-level checks of a staged amendments.csv (rb_amendments). The register's amendment history
-- (original entry, amended entry, reason, when and by whom: the 2024 registration regulations
-- require all of them). Parameters: $urn, $codes (valid in the year), $per_code.
WITH a AS (
  SELECT *, try_strptime(date, '%Y-%m-%d')::DATE AS d, try_strptime(amended_on, '%Y-%m-%d')::DATE AS on_d
  FROM rb_amendments
), failures AS (
  SELECT 'AMENDMENT_URN_MISMATCH' AS code, line, 'urn' AS col, urn AS value, 'URN does not match the school of this return (' || $urn || ')' AS message
  FROM a WHERE urn IS DISTINCT FROM $urn
  UNION ALL
  SELECT 'AMENDMENT_PUPIL_UNKNOWN', a.line, 'upn', a.upn, 'pupil is not in pupils.csv'
  FROM a ANTI JOIN rb_pupils_typed p ON upper(a.upn) = p.upn
  UNION ALL
  SELECT 'AMENDMENT_DATE_INVALID', line, 'date', date, 'expected a date YYYY-MM-DD' FROM a WHERE d IS NULL
  UNION ALL
  SELECT 'AMENDMENT_SESSION_INVALID', line, 'session', session, 'expected AM or PM' FROM a WHERE upper(session) NOT IN ('AM', 'PM') OR session IS NULL
  UNION ALL
  SELECT 'AMENDMENT_ORIGINAL_CODE_INVALID', line, 'original_mark', original_mark, 'not a register code valid in this academic year'
  FROM a WHERE original_mark IS NULL OR NOT list_contains($codes, upper(original_mark))
  UNION ALL
  SELECT 'AMENDMENT_AMENDED_CODE_INVALID', line, 'amended_mark', amended_mark, 'not a register code valid in this academic year'
  FROM a WHERE amended_mark IS NULL OR NOT list_contains($codes, upper(amended_mark))
  UNION ALL
  SELECT 'AMENDMENT_REASON_MISSING', line, 'reason', reason, 'the reason for the amendment must be recorded' FROM a WHERE reason IS NULL
  UNION ALL
  SELECT 'AMENDMENT_WHO_MISSING', line, 'amended_by', amended_by, 'who made the amendment must be recorded' FROM a WHERE amended_by IS NULL
  UNION ALL
  SELECT 'AMENDMENT_ON_INVALID', line, 'amended_on', amended_on, 'expected a date YYYY-MM-DD' FROM a WHERE on_d IS NULL
  UNION ALL
  SELECT 'AMENDMENT_BEFORE_SESSION', line, 'amended_on', amended_on, 'the amendment is dated before the session it amends' FROM a WHERE on_d < d
  UNION ALL
  SELECT 'AMENDMENT_NOT_IN_REGISTER', a.line, 'amended_mark', a.amended_mark, 'the amended mark is not the mark in marks.csv for that pupil and session'
  FROM a JOIN rb_marks m ON upper(m.upn) = upper(a.upn) AND try_strptime(m.date, '%Y-%m-%d')::DATE = a.d AND upper(m.session) = upper(a.session)
  WHERE upper(m.mark) IS DISTINCT FROM upper(a.amended_mark)
    AND NOT EXISTS (SELECT 1 FROM a later WHERE later.upn = a.upn AND later.d = a.d AND upper(later.session) = upper(a.session) AND later.on_d > a.on_d)
)
SELECT code, line, col, value, message, CAST(count(*) OVER (PARTITION BY code) AS INTEGER) AS total
FROM failures
QUALIFY row_number() OVER (PARTITION BY code ORDER BY line) <= $per_code
ORDER BY code, line
