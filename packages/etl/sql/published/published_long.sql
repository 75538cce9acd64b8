-- The staged DfE tidy file (rb_pub: every column VARCHAR, `line` = record number, header = 1) in
-- long form: one row per geography × period × phase × indicator. {{indicators}} is the quoted list
-- of the file's indicator columns, {{phase}} its phase column (school_type or education_phase),
-- {{time_identifier}} the period within the year (the `term` column of the 2012/13–2016/17 files
-- when it names a term, else `time_identifier`). Suppressed and missing values (x c z . : low NA)
-- keep their marker, with a NULL value.
WITH long AS (
  UNPIVOT (SELECT * FROM rb_pub) ON {{indicators}} INTO NAME indicator VALUE raw
)
SELECT
  CAST(line AS INTEGER) AS line,
  trim(time_period) AS time_period,
  substr(trim(time_period), 1, 4) || '/' || substr(trim(time_period), 5, 2) AS academic_year,
  {{time_identifier}} AS time_identifier,
  trim(geographic_level) AS geographic_level,
  {{region_code}} AS region_code,
  {{region_name}} AS region_name,
  CASE WHEN trim(geographic_level) = 'Local authority' THEN lpad(trim({{old_la_code}}), 3, '0') END AS la_code,
  {{new_la_code}} AS new_la_code,
  {{la_name}} AS la_name,
  trim({{phase}}) AS phase,
  indicator,
  try_cast(trim(raw) AS DOUBLE) AS value,
  CASE WHEN try_cast(trim(raw) AS DOUBLE) IS NULL THEN coalesce(trim(raw), '') END AS marker
FROM long
