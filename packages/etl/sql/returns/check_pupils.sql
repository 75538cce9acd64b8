-- Row-level checks of a staged pupils.csv. Parameters: $urn (VARCHAR, the return's school),
-- $nc_years, $enrol_statuses, $sen_provisions, $sen_needs (VARCHAR[]), $per_code (INTEGER).
WITH p AS (SELECT * FROM rb_pupils),
yn AS (SELECT ['Y', 'N'] AS v),
failures AS (
  SELECT 'PUPIL_URN_MISMATCH' AS code, line, 'urn' AS col, urn AS value,
         'all pupils of a return must belong to one school (' || $urn || ')' AS message
  FROM p WHERE urn IS DISTINCT FROM $urn
  UNION ALL
  SELECT 'PUPIL_UPN_DUPLICATE', line, 'upn', upn, 'the pupil appears more than once in pupils.csv'
  FROM (SELECT *, count(*) OVER (PARTITION BY upper(upn)) AS n FROM p WHERE upn IS NOT NULL) WHERE n > 1
  UNION ALL
  SELECT 'PUPIL_DOB_INVALID', line, 'dob', dob, 'expected a date YYYY-MM-DD'
  FROM p WHERE try_strptime(dob, '%Y-%m-%d') IS NULL
  UNION ALL
  SELECT 'PUPIL_SEX_INVALID', line, 'sex', sex, 'expected M or F' FROM p WHERE sex IS NULL OR upper(sex) NOT IN ('M', 'F')
  UNION ALL
  SELECT 'PUPIL_ETHNICITY_MISSING', line, 'ethnicity', ethnicity, 'expected a DfE ethnicity code (use NOBT if not obtained)'
  FROM p WHERE ethnicity IS NULL
  UNION ALL
  SELECT 'PUPIL_NC_YEAR_INVALID', line, 'nc_year', nc_year, 'expected N1, N2, R or 1 to 14'
  FROM p WHERE nc_year IS NULL OR NOT list_contains($nc_years, upper(nc_year))
  UNION ALL
  SELECT 'PUPIL_ADMISSION_DATE_INVALID', line, 'admission_date', admission_date, 'expected a date YYYY-MM-DD'
  FROM p WHERE try_strptime(admission_date, '%Y-%m-%d') IS NULL
  UNION ALL
  SELECT 'PUPIL_LEAVING_DATE_INVALID', line, 'leaving_date', leaving_date, 'expected a date YYYY-MM-DD or empty'
  FROM p WHERE leaving_date IS NOT NULL AND try_strptime(leaving_date, '%Y-%m-%d') IS NULL
  UNION ALL
  SELECT 'PUPIL_LEAVING_BEFORE_ADMISSION', line, 'leaving_date', leaving_date, 'leaving date is before the admission date'
  FROM p WHERE try_strptime(leaving_date, '%Y-%m-%d') < try_strptime(admission_date, '%Y-%m-%d')
  UNION ALL
  SELECT 'PUPIL_ENROL_STATUS_INVALID', line, 'enrol_status', enrol_status, 'expected C, M, S or G'
  FROM p WHERE enrol_status IS NULL OR NOT list_contains($enrol_statuses, upper(enrol_status))
  UNION ALL
  SELECT 'PUPIL_FSM_INVALID', line, 'fsm', fsm, 'expected Y or N' FROM p WHERE fsm IS NULL OR upper(fsm) NOT IN ('Y', 'N')
  UNION ALL
  SELECT 'PUPIL_FSM6_INVALID', line, 'fsm6', fsm6, 'expected Y, N or empty' FROM p WHERE fsm6 IS NOT NULL AND upper(fsm6) NOT IN ('Y', 'N')
  UNION ALL
  SELECT 'PUPIL_SEN_PROVISION_INVALID', line, 'sen_provision', sen_provision, 'expected N, K (SEN support) or E (EHC plan)'
  FROM p WHERE sen_provision IS NULL OR NOT list_contains($sen_provisions, upper(sen_provision))
  UNION ALL
  SELECT 'PUPIL_SEN_NEED_INVALID', line, 'sen_primary_need', sen_primary_need, 'not a DfE SEN primary need code'
  FROM p WHERE sen_primary_need IS NOT NULL AND NOT list_contains($sen_needs, upper(sen_primary_need))
  UNION ALL
  SELECT 'PUPIL_EAL_INVALID', line, 'eal', eal, 'expected Y or N' FROM p WHERE eal IS NULL OR upper(eal) NOT IN ('Y', 'N')
  UNION ALL
  SELECT 'PUPIL_BOARDER_INVALID', line, 'boarder', boarder, 'expected Y, N or empty' FROM p WHERE boarder IS NOT NULL AND upper(boarder) NOT IN ('Y', 'N')
  UNION ALL
  SELECT 'PUPIL_YOUNG_CARER_INVALID', line, 'young_carer', young_carer, 'expected Y, N or empty' FROM p WHERE young_carer IS NOT NULL AND upper(young_carer) NOT IN ('Y', 'N')
)
SELECT code, line, col, value, message, CAST(count(*) OVER (PARTITION BY code) AS INTEGER) AS total
FROM failures
QUALIFY row_number() OVER (PARTITION BY code ORDER BY line) <= $per_code
ORDER BY code, line
