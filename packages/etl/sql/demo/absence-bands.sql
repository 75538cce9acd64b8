-- Pupil counts by overall-absence band for one LA's latest year, by school type, FSM, SEN, sex
-- and NC year (absence_bands_distributions.csv: no header row; new_la_code is space-padded).
WITH bands AS (
  SELECT *
  FROM read_csv($path, header = false, all_varchar = true, columns = {
    'time_identifier': 'VARCHAR', 'time_period': 'VARCHAR', 'geographic_level': 'VARCHAR',
    'country_code': 'VARCHAR', 'country_name': 'VARCHAR', 'region_name': 'VARCHAR',
    'region_code': 'VARCHAR', 'old_la_code': 'VARCHAR', 'new_la_code': 'VARCHAR',
    'la_name': 'VARCHAR', 'school_type': 'VARCHAR', 'fsm_eligible': 'VARCHAR',
    'sen_status': 'VARCHAR', 'gender': 'VARCHAR', 'nc_year': 'VARCHAR',
    'pct5': 'VARCHAR', 'pct10': 'VARCHAR', 'pct15': 'VARCHAR', 'pct20': 'VARCHAR',
    'pct25': 'VARCHAR', 'pct30': 'VARCHAR', 'pct35': 'VARCHAR', 'pct40': 'VARCHAR',
    'pct45': 'VARCHAR', 'pct50': 'VARCHAR', 'pct50plus': 'VARCHAR'
  })
  WHERE geographic_level = 'Local authority' AND TRY_CAST(old_la_code AS INTEGER) = $la
)
SELECT
  CAST(time_period AS INTEGER) AS time_period,
  trim(new_la_code) AS new_la_code,
  school_type, fsm_eligible, sen_status, gender,
  TRY_CAST(nc_year AS INTEGER) AS nc_year,
  [COALESCE(TRY_CAST(pct5 AS INTEGER), 0), COALESCE(TRY_CAST(pct10 AS INTEGER), 0),
   COALESCE(TRY_CAST(pct15 AS INTEGER), 0), COALESCE(TRY_CAST(pct20 AS INTEGER), 0),
   COALESCE(TRY_CAST(pct25 AS INTEGER), 0), COALESCE(TRY_CAST(pct30 AS INTEGER), 0),
   COALESCE(TRY_CAST(pct35 AS INTEGER), 0), COALESCE(TRY_CAST(pct40 AS INTEGER), 0),
   COALESCE(TRY_CAST(pct45 AS INTEGER), 0), COALESCE(TRY_CAST(pct50 AS INTEGER), 0),
   COALESCE(TRY_CAST(pct50plus AS INTEGER), 0)] AS counts
FROM bands
WHERE CAST(time_period AS INTEGER) = (SELECT max(CAST(time_period AS INTEGER)) FROM bands);
