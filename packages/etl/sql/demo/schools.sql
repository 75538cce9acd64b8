-- State-funded primary, secondary and special schools of one region from the DfE school-level
-- census file (spc_schools_*.csv.gz). DfE suppression markers (x c z . : low) become NULL.
SELECT
  TRY_CAST(urn AS INTEGER) AS urn,
  TRY_CAST(laestab AS INTEGER) AS laestab,
  school_name AS name,
  TRY_CAST(old_la_code AS INTEGER) AS la_code,
  la_name,
  region_name,
  phase_type_grouping AS phase_type,
  type_of_establishment,
  postcode,
  TRY_CAST(headcount AS DOUBLE) AS headcount,
  TRY_CAST(compulsory_age_pupils AS DOUBLE) AS compulsory_age_pupils,
  TRY_CAST(fsm_eligible_pct AS DOUBLE) AS fsm_pct,
  TRY_CAST(eal_pct AS DOUBLE) AS eal_pct,
  TRY_CAST(white_british_pct AS DOUBLE) AS white_british_pct
FROM read_csv($path, all_varchar = true, header = true)
WHERE phase_type_grouping IN ('State-funded primary', 'State-funded secondary', 'State-funded special school')
  AND region_name = (
    SELECT any_value(region_name) FROM read_csv($path, all_varchar = true, header = true)
    WHERE TRY_CAST(old_la_code AS INTEGER) = $la
  )
  AND TRY_CAST(urn AS INTEGER) IS NOT NULL
ORDER BY la_code, urn;
