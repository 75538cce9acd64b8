-- Typed pupils of the batch. Values that do not parse become NULL here; check_pupils.sql reports
-- them, so a return with such values never loads.
CREATE OR REPLACE TEMP TABLE b_pupils_typed AS
SELECT
  rid,
  rowid AS rn,
  try_cast(urn AS INTEGER) AS urn,
  upper(upn) AS upn,
  forename,
  surname,
  try_strptime(dob, '%Y-%m-%d')::DATE AS dob,
  upper(sex) AS sex,
  upper(ethnicity) AS ethnicity,
  upper(nc_year) AS nc_year,
  try_strptime(admission_date, '%Y-%m-%d')::DATE AS admission_date,
  try_strptime(leaving_date, '%Y-%m-%d')::DATE AS leaving_date,
  upper(enrol_status) AS enrol_status,
  upper(fsm) = 'Y' AS fsm,
  CASE WHEN fsm6 IS NULL THEN NULL ELSE upper(fsm6) = 'Y' END AS fsm6,
  upper(sen_provision) AS sen_provision,
  upper(sen_primary_need) AS sen_primary_need,
  upper(eal) = 'Y' AS eal,
  coalesce(upper(boarder) = 'Y', false) AS boarder,
  coalesce(upper(young_carer) = 'Y', false) AS young_carer
FROM b_pupils
