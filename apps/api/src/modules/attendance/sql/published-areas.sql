-- DfE's published figures for England and for the regions of the LAs in $la_codes: the whole
-- academic year ($time_period, e.g. '202425'), all school types (phase 'Total'), the measures in
-- $measures. One row per area × measure, from the published-statistics mart ($mart).
WITH published AS (
  SELECT * FROM read_parquet($mart)
),
regions AS (
  SELECT DISTINCT region_code
  FROM published
  WHERE geographic_level = 'Local authority' AND la_code IN (SELECT unnest($la_codes))
)
SELECT
  CASE WHEN geographic_level = 'National' THEN 'england' ELSE 'region' END AS level,
  CASE WHEN geographic_level = 'National' THEN NULL ELSE region_code END AS area_code,
  CASE WHEN geographic_level = 'National' THEN 'England' ELSE region_name END AS area_name,
  measure,
  value
FROM published
WHERE time_period = $time_period
  AND lower(time_identifier) = 'academic year'
  AND phase = 'Total'
  AND measure IN (SELECT unnest($measures))
  AND (geographic_level = 'National' OR (geographic_level = 'Regional' AND region_code IN (SELECT region_code FROM regions)))
ORDER BY level DESC, area_name, measure;
