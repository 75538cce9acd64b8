-- marts/fct_child_status for one LA (docs/warehouse.md): date-effective statuses by child, from
-- whichever social care sources are in the lake. Views src_header, src_episodes, src_cin exist
-- (empty when a source is not loaded). Parameter: $la.
WITH looked_after AS (
  SELECT e.la_child_id, h.upn, 'looked_after' AS status, e.decom AS start_date, e.dec AS end_date, 'ssda903' AS source
  FROM src_episodes e LEFT JOIN (SELECT DISTINCT ON (la_child_id) * FROM src_header) h USING (la_child_id)
  WHERE e.decom IS NOT NULL
),
protection AS (
  SELECT DISTINCT la_child_id, upn, 'child_protection' AS status, cpp_start AS start_date, cpp_end AS end_date, 'cin' AS source
  FROM src_cin WHERE cpp_start IS NOT NULL
),
in_need AS (
  -- A referral that led to no further action is not a period as a child in need.
  SELECT DISTINCT la_child_id, upn, 'child_in_need' AS status, referral_date AS start_date, closure_date AS end_date, 'cin' AS source
  FROM src_cin WHERE referral_date IS NOT NULL AND NOT coalesce(referral_nfa, false)
)
SELECT $la AS la_code, * FROM (
  SELECT * FROM looked_after UNION ALL SELECT * FROM protection UNION ALL SELECT * FROM in_need
)
ORDER BY la_child_id, start_date, status
