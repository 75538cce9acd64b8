-- A school's LA and name: from the school list, else from the returns.
SELECT la_code, name FROM (
  SELECT la_code, name, 1 AS pref FROM dim_school WHERE urn = $urn
  UNION ALL
  SELECT la_code, NULL AS name, 2 AS pref FROM fct_enrolment_term WHERE urn = $urn
)
ORDER BY pref
LIMIT 1;
