-- LAs whose social care records (child status, caseload allocations) hold children and need their
-- alerts worked out again after a load: every such LA ($all), or those among $la_codes (the LAs a
-- load touched) and those holding a child on roll at one of the schools $urns (placed out of area).
WITH held AS (
  SELECT la_code, upper(upn) AS upn FROM fct_child_status WHERE upn IS NOT NULL
  UNION
  SELECT la_code, upper(upn) AS upn FROM lake_caseloads WHERE upn IS NOT NULL
)
SELECT DISTINCT h.la_code
FROM held AS h
WHERE $all
  OR h.la_code IN (SELECT unnest($la_codes))
  OR h.upn IN (SELECT upper(e.upn) FROM fct_enrolment_term AS e WHERE e.urn IN (SELECT unnest($urns)))
ORDER BY h.la_code;
