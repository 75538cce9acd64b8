-- Row-level checks of the batch's pupils (b_pupils, raw VARCHAR), each return against its own
-- school (b_returns.urn_text). Placeholder: upn_valid (upnValidSql, the UPN check letter). Parameters: $nc_years, $enrol_statuses, $sen_provisions,
-- $sen_needs (VARCHAR[]), $per_code (INTEGER).
WITH p AS (SELECT b.*, b.rowid AS rn, r.urn_text AS expected_urn FROM b_pupils b JOIN b_returns r USING (rid)),
failures AS (
  SELECT rid, 'PUPIL_URN_MISMATCH' AS code, rn, 'urn' AS col, urn AS value,
         'all pupils of a return must belong to one school (' || expected_urn || ')' AS message
  FROM p WHERE urn IS DISTINCT FROM expected_urn
  UNION ALL
  SELECT rid, 'PUPIL_UPN_INVALID', rn, 'upn', upn, 'not a valid UPN: 13 characters with a correct check letter'
  FROM p WHERE NOT ({{upn_valid}})
  UNION ALL
  SELECT rid, 'PUPIL_UPN_DUPLICATE', rn, 'upn', upn, 'the pupil appears more than once in pupils.csv'
  FROM (SELECT *, count(*) OVER (PARTITION BY rid, upper(upn)) AS n FROM p WHERE upn IS NOT NULL) WHERE n > 1
  UNION ALL
  SELECT rid, 'PUPIL_DOB_INVALID', rn, 'dob', dob, 'expected a date YYYY-MM-DD'
  FROM p WHERE try_strptime(dob, '%Y-%m-%d') IS NULL
  UNION ALL
  SELECT rid, 'PUPIL_SEX_INVALID', rn, 'sex', sex, 'expected M or F' FROM p WHERE sex IS NULL OR upper(sex) NOT IN ('M', 'F')
  UNION ALL
  SELECT rid, 'PUPIL_ETHNICITY_MISSING', rn, 'ethnicity', ethnicity, 'expected a DfE ethnicity code (use NOBT if not obtained)'
  FROM p WHERE ethnicity IS NULL
  UNION ALL
  SELECT rid, 'PUPIL_NC_YEAR_INVALID', rn, 'nc_year', nc_year, 'expected N1, N2, R or 1 to 14'
  FROM p WHERE nc_year IS NULL OR NOT list_contains($nc_years, upper(nc_year))
  UNION ALL
  SELECT rid, 'PUPIL_ADMISSION_DATE_INVALID', rn, 'admission_date', admission_date, 'expected a date YYYY-MM-DD'
  FROM p WHERE try_strptime(admission_date, '%Y-%m-%d') IS NULL
  UNION ALL
  SELECT rid, 'PUPIL_LEAVING_DATE_INVALID', rn, 'leaving_date', leaving_date, 'expected a date YYYY-MM-DD or empty'
  FROM p WHERE leaving_date IS NOT NULL AND try_strptime(leaving_date, '%Y-%m-%d') IS NULL
  UNION ALL
  SELECT rid, 'PUPIL_LEAVING_BEFORE_ADMISSION', rn, 'leaving_date', leaving_date, 'leaving date is before the admission date'
  FROM p WHERE try_strptime(leaving_date, '%Y-%m-%d') < try_strptime(admission_date, '%Y-%m-%d')
  UNION ALL
  SELECT rid, 'PUPIL_ENROL_STATUS_INVALID', rn, 'enrol_status', enrol_status, 'expected C, M, S or G'
  FROM p WHERE enrol_status IS NULL OR NOT list_contains($enrol_statuses, upper(enrol_status))
  UNION ALL
  SELECT rid, 'PUPIL_FSM_INVALID', rn, 'fsm', fsm, 'expected Y or N' FROM p WHERE fsm IS NULL OR upper(fsm) NOT IN ('Y', 'N')
  UNION ALL
  SELECT rid, 'PUPIL_FSM6_INVALID', rn, 'fsm6', fsm6, 'expected Y, N or empty' FROM p WHERE fsm6 IS NOT NULL AND upper(fsm6) NOT IN ('Y', 'N')
  UNION ALL
  SELECT rid, 'PUPIL_SEN_PROVISION_INVALID', rn, 'sen_provision', sen_provision, 'expected N, K (SEN support) or E (EHC plan)'
  FROM p WHERE sen_provision IS NULL OR NOT list_contains($sen_provisions, upper(sen_provision))
  UNION ALL
  SELECT rid, 'PUPIL_SEN_NEED_INVALID', rn, 'sen_primary_need', sen_primary_need, 'not a DfE SEN primary need code'
  FROM p WHERE sen_primary_need IS NOT NULL AND NOT list_contains($sen_needs, upper(sen_primary_need))
  UNION ALL
  SELECT rid, 'PUPIL_EAL_INVALID', rn, 'eal', eal, 'expected Y or N' FROM p WHERE eal IS NULL OR upper(eal) NOT IN ('Y', 'N')
  UNION ALL
  SELECT rid, 'PUPIL_BOARDER_INVALID', rn, 'boarder', boarder, 'expected Y, N or empty' FROM p WHERE boarder IS NOT NULL AND upper(boarder) NOT IN ('Y', 'N')
  UNION ALL
  SELECT rid, 'PUPIL_YOUNG_CARER_INVALID', rn, 'young_carer', young_carer, 'expected Y, N or empty' FROM p WHERE young_carer IS NOT NULL AND upper(young_carer) NOT IN ('Y', 'N')
)
SELECT rid, code, rn, col, value, message, CAST(count(*) OVER (PARTITION BY rid, code) AS INTEGER) AS total
FROM failures
QUALIFY row_number() OVER (PARTITION BY rid, code ORDER BY rn) <= $per_code
ORDER BY rid, code, rn
