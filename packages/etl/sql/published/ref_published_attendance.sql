-- marts/ref_published_attendance: every published rate (a column matching $rate_pattern) of every
-- loaded DfE file, one row per period × geography × phase × measure, with the row's enrolments and
-- possible sessions (for gaps in days per pupil). When two loaded files hold the same figure, the
-- one loaded last wins.
WITH lake AS (
  SELECT * FROM read_parquet($glob, union_by_name = true)
),
latest AS (
  SELECT * FROM lake
  QUALIFY row_number() OVER (
    PARTITION BY time_period, time_identifier, geographic_level, coalesce(region_code, ''), coalesce(la_code, ''), phase, indicator
    ORDER BY loaded_at DESC, dataset DESC) = 1
),
counts AS (
  SELECT time_period, time_identifier, geographic_level, coalesce(region_code, '') AS region_key, coalesce(la_code, '') AS la_key, phase,
    max(value) FILTER (WHERE indicator = 'enrolments') AS enrolments,
    max(value) FILTER (WHERE indicator IN ('possible_sessions', 'sess_possible')) AS possible_sessions
  FROM latest
  GROUP BY ALL
)
SELECT
  l.time_period, l.academic_year, l.time_identifier, l.geographic_level, l.region_code, l.region_name,
  l.la_code, l.new_la_code, l.la_name, l.phase,
  l.indicator AS measure, l.value, l.marker,
  c.enrolments, c.possible_sessions, l.dataset
FROM latest AS l
JOIN counts AS c
  ON c.time_period = l.time_period AND c.time_identifier = l.time_identifier AND c.geographic_level = l.geographic_level
 AND c.region_key = coalesce(l.region_code, '') AND c.la_key = coalesce(l.la_code, '') AND c.phase = l.phase
WHERE regexp_matches(l.indicator, $rate_pattern)
ORDER BY l.time_period, l.time_identifier, l.geographic_level, l.la_code, l.region_code, l.phase, l.indicator
