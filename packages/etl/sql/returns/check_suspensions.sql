-- Row-level checks of a staged suspensions.csv (rb_suspensions). Parameters: $urn, $per_code.
WITH s AS (SELECT * FROM rb_suspensions),
failures AS (
  SELECT 'SUSPENSION_URN_MISMATCH' AS code, line, 'urn' AS col, urn AS value, 'URN does not match the school of this return (' || $urn || ')' AS message
  FROM s WHERE urn IS DISTINCT FROM $urn
  UNION ALL
  SELECT 'SUSPENSION_PUPIL_UNKNOWN', s.line, 'upn', s.upn, 'pupil is not in pupils.csv'
  FROM s ANTI JOIN rb_pupils_typed p ON upper(s.upn) = p.upn
  UNION ALL
  SELECT 'SUSPENSION_CATEGORY_INVALID', line, 'category', category, 'expected SUSP (suspension) or PERM (permanent exclusion)'
  FROM s WHERE category IS NULL OR upper(category) NOT IN ('SUSP', 'PERM')
  UNION ALL
  SELECT 'SUSPENSION_START_INVALID', line, 'start_date', start_date, 'expected a date YYYY-MM-DD'
  FROM s WHERE try_strptime(start_date, '%Y-%m-%d') IS NULL
  UNION ALL
  SELECT 'SUSPENSION_SESSIONS_INVALID', line, 'sessions', sessions, 'expected a whole number of sessions, 1 or more'
  FROM s WHERE try_cast(sessions AS INTEGER) IS NULL OR try_cast(sessions AS INTEGER) < 1
)
SELECT code, line, col, value, message, CAST(count(*) OVER (PARTITION BY code) AS INTEGER) AS total
FROM failures
QUALIFY row_number() OVER (PARTITION BY code ORDER BY line) <= $per_code
ORDER BY code, line
