-- Every social care status period of one child ($upn), in the access scope only.
WITH statuses AS (
  SELECT s.la_code, CAST(NULL AS INTEGER) AS urn, upper(s.upn) AS upn, s.la_child_id, s.status,
    CAST(s.start_date AS VARCHAR) AS start_date, CAST(s.end_date AS VARCHAR) AS end_date, s.source
  FROM fct_child_status AS s
  WHERE upper(s.upn) = $upn
)
SELECT * FROM statuses AS st
WHERE {{in_scope:st}}
ORDER BY st.start_date, st.status;
