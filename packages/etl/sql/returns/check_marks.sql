-- Row-level checks of a staged marks.csv (temp table rb_marks, all VARCHAR + line) against the
-- staged pupils (rb_pupils_typed). One row per failed check; the caller keeps the first few of
-- each code and the count. Parameters: $urn (VARCHAR), $codes (VARCHAR[] valid in the year).
WITH m AS (
  SELECT line, urn, upper(upn) AS upn, date, upper(session) AS session, upper(mark) AS mark, minutes_late,
         try_strptime(date, '%Y-%m-%d')::DATE AS d
  FROM rb_marks
), failures AS (
  SELECT 'MARK_URN_MISMATCH' AS code, line, 'urn' AS col, urn AS value,
         'URN does not match the school of this return (' || $urn || ')' AS message
  FROM m WHERE urn IS DISTINCT FROM $urn
  UNION ALL
  SELECT 'MARK_UPN_MISSING', line, 'upn', upn, 'UPN is empty' FROM m WHERE upn IS NULL
  UNION ALL
  SELECT 'MARK_PUPIL_UNKNOWN', m.line, 'upn', m.upn, 'pupil is not in pupils.csv'
  FROM m ANTI JOIN rb_pupils_typed p ON m.upn = p.upn WHERE m.upn IS NOT NULL
  UNION ALL
  SELECT 'MARK_DATE_INVALID', line, 'date', date, 'expected a date YYYY-MM-DD' FROM m WHERE d IS NULL
  UNION ALL
  SELECT 'MARK_DATE_NOT_SCHOOL_DAY', line, 'date', date, 'date is a Saturday or Sunday'
  FROM m WHERE d IS NOT NULL AND isodow(d) IN (6, 7)
  UNION ALL
  SELECT 'MARK_SESSION_INVALID', line, 'session', session, 'expected AM or PM'
  FROM m WHERE session IS NULL OR session NOT IN ('AM', 'PM')
  UNION ALL
  SELECT 'MARK_CODE_INVALID', line, 'mark', mark, 'not a register code valid in this academic year'
  FROM m WHERE mark IS NULL OR NOT list_contains($codes, mark)
  UNION ALL
  SELECT 'MARK_MINUTES_LATE_INVALID', line, 'minutes_late', minutes_late, 'expected a whole number of minutes'
  FROM m WHERE minutes_late IS NOT NULL AND (try_cast(minutes_late AS INTEGER) IS NULL OR try_cast(minutes_late AS INTEGER) < 0)
  UNION ALL
  SELECT 'MARK_DUPLICATE', line, 'session', upn || ' ' || date || ' ' || session,
         'the same pupil and session is marked more than once'
  FROM (SELECT *, count(*) OVER (PARTITION BY upn, d, session) AS n FROM m WHERE d IS NOT NULL AND upn IS NOT NULL)
  WHERE n > 1
  UNION ALL
  SELECT 'MARK_AFTER_LEAVING', m.line, 'date', m.date, 'mark after the pupil''s leaving date (' || strftime(p.leaving_date, '%Y-%m-%d') || ')'
  FROM m JOIN rb_pupils_typed p ON m.upn = p.upn WHERE m.d > p.leaving_date
  UNION ALL
  SELECT 'MARK_BEFORE_ADMISSION', m.line, 'date', m.date, 'mark before the pupil''s admission date (' || strftime(p.admission_date, '%Y-%m-%d') || ')'
  FROM m JOIN rb_pupils_typed p ON m.upn = p.upn WHERE m.d < p.admission_date
)
SELECT code, line, col, value, message,
       CAST(count(*) OVER (PARTITION BY code) AS INTEGER) AS total
FROM failures
QUALIFY row_number() OVER (PARTITION BY code ORDER BY line) <= $per_code
ORDER BY code, line
