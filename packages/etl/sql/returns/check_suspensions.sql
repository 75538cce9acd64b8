-- Row-level checks of the batch's suspensions (b_suspensions). Parameter: $per_code.
WITH s AS (SELECT b.*, b.rowid AS rn, r.urn_text AS expected_urn FROM b_suspensions b JOIN b_returns r USING (rid)),
failures AS (
  SELECT rid, 'SUSPENSION_URN_MISMATCH' AS code, rn, 'urn' AS col, urn AS value, 'URN does not match the school of this return (' || expected_urn || ')' AS message
  FROM s WHERE urn IS DISTINCT FROM expected_urn
  UNION ALL
  SELECT s.rid, 'SUSPENSION_PUPIL_UNKNOWN', s.rn, 'upn', s.upn, 'pupil is not in pupils.csv'
  FROM s ANTI JOIN b_pupils_typed p ON s.rid = p.rid AND s.upn = p.upn
  UNION ALL
  SELECT rid, 'SUSPENSION_CATEGORY_INVALID', rn, 'category', category, 'expected SUSP (suspension) or PERM (permanent exclusion)'
  FROM s WHERE category IS NULL OR category NOT IN ('SUSP', 'PERM')
  UNION ALL
  SELECT rid, 'SUSPENSION_START_INVALID', rn, 'start_date', start_date, 'expected a date YYYY-MM-DD'
  FROM s WHERE try_strptime(start_date, '%Y-%m-%d') IS NULL
  UNION ALL
  SELECT rid, 'SUSPENSION_SESSIONS_INVALID', rn, 'sessions', sessions, 'expected a whole number of sessions, 1 or more'
  FROM s WHERE coalesce(try_cast(sessions AS INTEGER) < 1, true)
)
SELECT rid, code, rn, col, value, message, CAST(count(*) OVER (PARTITION BY rid, code) AS INTEGER) AS total
FROM failures
QUALIFY row_number() OVER (PARTITION BY rid, code ORDER BY rn) <= $per_code
ORDER BY rid, code, rn
