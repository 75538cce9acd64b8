-- Every LA's published figures beside its statistical neighbours', its region's and England's, from
-- the loaded DfE statistics alone: one row per period × LA × phase × measure. $published is the
-- ref_published_attendance mart, $neighbours the ref_statistical_neighbour mart (an empty list when
-- none is loaded). Neighbours are listed closest first; a neighbour with no figure (suppressed, or
-- not in the file) is listed with a NULL value, and left out of the average by the caller.
WITH pub AS (
  SELECT * FROM read_parquet($published)
  WHERE lower(time_identifier) = lower($time_identifier)
    AND ($time_period IS NULL OR time_period = $time_period)
),
la AS (SELECT * FROM pub WHERE geographic_level = 'Local authority'),
region AS (SELECT time_period, region_code, phase, measure, value FROM pub WHERE geographic_level = 'Regional'),
england AS (SELECT time_period, phase, measure, value FROM pub WHERE geographic_level = 'National'),
sn AS (SELECT la_code, rank, sn_la_code, sn_la_name FROM {{neighbours}}),
nb AS (
  SELECT la.time_period, la.la_code, la.phase, la.measure,
    list(sn.sn_la_code ORDER BY sn.rank) AS neighbour_codes,
    list(coalesce(n.la_name, sn.sn_la_name) ORDER BY sn.rank) AS neighbour_names,
    list(n.value ORDER BY sn.rank) AS neighbour_values
  FROM la
  JOIN sn ON sn.la_code = la.la_code
  LEFT JOIN la AS n
    ON n.la_code = sn.sn_la_code AND n.time_period = la.time_period AND n.phase = la.phase AND n.measure = la.measure
  GROUP BY ALL
)
SELECT
  la.time_period, la.academic_year, la.time_identifier, la.la_code, la.la_name, la.region_code, la.region_name,
  la.phase, la.measure, la.value, la.marker,
  CAST(la.possible_sessions / nullif(la.enrolments, 0) AS DOUBLE) AS sessions_per_pupil,
  coalesce(nb.neighbour_codes, []) AS neighbour_codes,
  coalesce(nb.neighbour_names, []) AS neighbour_names,
  coalesce(nb.neighbour_values, []) AS neighbour_values,
  r.value AS region_value,
  e.value AS england_value
FROM la
LEFT JOIN nb ON nb.time_period = la.time_period AND nb.la_code = la.la_code AND nb.phase = la.phase AND nb.measure = la.measure
LEFT JOIN region AS r ON r.time_period = la.time_period AND r.region_code = la.region_code AND r.phase = la.phase AND r.measure = la.measure
LEFT JOIN england AS e ON e.time_period = la.time_period AND e.phase = la.phase AND e.measure = la.measure
ORDER BY la.time_period, la.la_code, la.phase, la.measure
