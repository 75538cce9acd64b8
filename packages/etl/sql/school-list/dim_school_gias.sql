-- dim_school from a GIAS establishment extract (FORMATS.md §1); closed establishments are kept
-- (a child's history may point at them) but their status is not needed by the marts yet.
SELECT
  try_cast("urn" AS INTEGER) AS urn,
  try_cast("la (code)" AS INTEGER) * 10000 + try_cast("establishmentnumber" AS INTEGER) AS laestab,
  lpad(trim("la (code)"), 3, '0') AS la_code,
  "la (name)" AS la_name,
  "establishmentname" AS name,
  CASE
    WHEN "typeofestablishment (name)" ILIKE '%special%' THEN 'Special'
    WHEN "typeofestablishment (name)" ILIKE '%pupil referral%' OR "typeofestablishment (name)" ILIKE '%alternative provision%' THEN 'Alternative provision'
    WHEN "typeofestablishment (name)" ILIKE '%independent%' THEN 'Independent'
    WHEN "phaseofeducation (name)" IN ('Primary', 'Middle deemed primary') THEN 'Primary'
    WHEN "phaseofeducation (name)" IN ('Secondary', 'Middle deemed secondary') THEN 'Secondary'
    WHEN "phaseofeducation (name)" = 'All-through' THEN 'All-through'
    WHEN "phaseofeducation (name)" = 'Nursery' THEN 'Nursery'
    ELSE 'Other'
  END AS phase,
  "typeofestablishment (name)" AS type_of_establishment,
  "gor (name)" AS region_name,
  "postcode" AS postcode,
  try_cast("numberofpupils" AS INTEGER) AS headcount,
  try_cast("percentagefsm" AS DOUBLE) AS fsm_pct,
  CAST(NULL AS DOUBLE) AS eal_pct
FROM rb_schools
WHERE try_cast("urn" AS INTEGER) IS NOT NULL
