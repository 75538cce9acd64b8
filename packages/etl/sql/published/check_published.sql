-- Problems in a staged DfE tidy file, one row each: line (1 = header), column, code, message.
-- rb_pub_long is published_long.sql over the staged file; $markers are the suppression markers.
SELECT line, 'geographic_level' AS column_name, 'PUBLISHED_LEVEL_UNKNOWN' AS code,
  'geographic level must be National, Regional or Local authority (found "' || coalesce(geographic_level, '') || '")' AS message
FROM (SELECT DISTINCT line, geographic_level FROM rb_pub_long)
WHERE geographic_level IS NULL OR geographic_level NOT IN ('National', 'Regional', 'Local authority')
UNION ALL
SELECT line, 'old_la_code', 'PUBLISHED_LA_CODE_INVALID',
  'a local-authority row needs its 3-digit LA number (found "' || coalesce(la_code, '') || '")'
FROM (SELECT DISTINCT line, geographic_level, la_code FROM rb_pub_long)
WHERE geographic_level = 'Local authority' AND (la_code IS NULL OR NOT regexp_full_match(la_code, '[0-9]{3}'))
UNION ALL
SELECT line, 'time_period', 'PUBLISHED_PERIOD_INVALID',
  'time_period must be an academic year written like 202425 (found "' || coalesce(time_period, '') || '")'
FROM (SELECT DISTINCT line, time_period FROM rb_pub_long)
WHERE time_period IS NULL OR NOT regexp_full_match(time_period, '[0-9]{6}')
   OR CAST(substr(time_period, 5, 2) AS INTEGER) <> (CAST(substr(time_period, 3, 2) AS INTEGER) + 1) % 100
UNION ALL
SELECT line, 'phase', 'PUBLISHED_PHASE_MISSING', 'every row needs its phase (school_type or education_phase)'
FROM (SELECT DISTINCT line, phase FROM rb_pub_long)
WHERE phase IS NULL OR phase = ''
UNION ALL
SELECT line, indicator, 'PUBLISHED_VALUE_INVALID',
  'not a number nor a suppression marker (x c z . : low NA) (found "' || marker || '")'
FROM rb_pub_long
WHERE value IS NULL AND marker <> '' AND NOT list_contains($markers, marker)
ORDER BY line, column_name
