-- The LA's published 2024/25 year-to-date attendance by phase (EES_ytd_data_*.csv), every column
-- as text; the generator converts the few it needs.
SELECT *
FROM read_csv($path, all_varchar = true, header = true)
WHERE geographic_level = 'Local authority'
  AND TRY_CAST(old_la_code AS INTEGER) = $la
ORDER BY school_type;
