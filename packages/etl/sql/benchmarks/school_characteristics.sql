-- The characteristics of every school in the school list for the similar-school distance
-- (docs/benchmarks.md): pupils, FSM %, EAL % and phase from the school list, so that every
-- school is described from one source; SEN % (EHC plan, as FBIT), which the list does not have,
-- from the pupils on roll in the year's returns; the returns also stand in for a value the list
-- lacks. {{pupils}} is the lake/pupils read (or an empty relation when no returns are loaded);
-- $year is written 2024-25.
WITH returns AS (
  SELECT urn,
    CAST(count(DISTINCT upn) AS INTEGER) AS pupils,
    100.0 * avg(CAST(fsm AS INTEGER)) AS fsm_pct,
    100.0 * avg(CAST(eal AS INTEGER)) AS eal_pct,
    100.0 * avg(CAST(sen_provision = 'E' AS INTEGER)) AS sen_pct
  FROM {{pupils}}
  WHERE academic_year = $year
  GROUP BY urn
)
SELECT s.urn, s.name, s.la_code, s.region_name, s.phase,
  CAST(coalesce(s.headcount, r.pupils) AS DOUBLE) AS pupils,
  coalesce(s.fsm_pct, r.fsm_pct) AS fsm_pct,
  r.sen_pct,
  coalesce(s.eal_pct, r.eal_pct) AS eal_pct,
  r.urn IS NOT NULL AS has_returns
FROM read_parquet($dim_school) AS s
LEFT JOIN returns AS r ON r.urn = s.urn
