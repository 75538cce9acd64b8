-- lake/reference/statistical-neighbours from the staged list (rb_sn: VARCHAR columns la_number,
-- la_name, region, rank, sn_la_number, sn_la_name, closeness, and `line`), typed. The closeness
-- band is written as DfE's LA tool spells it, capitalisation evened out ("Very Close" → "Very close").
SELECT
  line,
  lpad(trim(la_number), 3, '0') AS la_code,
  trim(la_name) AS la_name,
  trim(region) AS region,
  try_cast(trim(rank) AS INTEGER) AS rank,
  lpad(trim(sn_la_number), 3, '0') AS sn_la_code,
  trim(sn_la_name) AS sn_la_name,
  upper(substr(trim(closeness), 1, 1)) || lower(substr(trim(closeness), 2)) AS closeness
FROM rb_sn
