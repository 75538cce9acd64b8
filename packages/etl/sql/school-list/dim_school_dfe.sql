-- dim_school from the DfE school-level census file (FORMATS.md §1). Suppressed or missing values
-- (x, c, z, ., :, low) become NULL through try_cast.
SELECT
  try_cast(urn AS INTEGER) AS urn,
  try_cast(laestab AS INTEGER) AS laestab,
  lpad(trim(old_la_code), 3, '0') AS la_code,
  la_name,
  school_name AS name,
  CASE
    WHEN phase_type_grouping = 'State-funded primary' THEN 'Primary'
    WHEN phase_type_grouping = 'State-funded secondary' THEN 'Secondary'
    WHEN phase_type_grouping IN ('State-funded special school', 'Non-maintained special school') THEN 'Special'
    WHEN phase_type_grouping = 'State-funded AP school' THEN 'Alternative provision'
    WHEN phase_type_grouping = 'State-funded nursery' THEN 'Nursery'
    WHEN phase_type_grouping = 'Independent school' THEN 'Independent'
    ELSE 'Other'
  END AS phase,
  type_of_establishment,
  region_name,
  postcode,
  try_cast(headcount AS INTEGER) AS headcount,
  try_cast(fsm_eligible_pct AS DOUBLE) AS fsm_pct,
  try_cast(eal_pct AS DOUBLE) AS eal_pct
FROM rb_schools
WHERE try_cast(urn AS INTEGER) IS NOT NULL
