-- A small made-up LA written straight into the marts (docs/warehouse.md), for portal work and
-- tests that must not wait for the demo generator. Deterministic: hash() of fixed keys.
-- Parameters: $la_code, $la_name, $academic_year ('2024/25'), $schools, $pupils_per_school.
CREATE TABLE fixture_school AS
SELECT
  CAST(100000 + i AS INTEGER) AS urn,
  CAST(CAST($la_code AS INTEGER) * 10000 + 2000 + i AS INTEGER) AS laestab,
  CAST($la_code AS VARCHAR) AS la_code,
  CAST($la_name AS VARCHAR) AS la_name,
  CASE
    WHEN i = 1 THEN 'St Mary''s, Church of England "Voluntary Aided" Primary School'
    WHEN i = 2 THEN 'Oakfield Primary School'
    WHEN i = 3 THEN 'Oakfield Primary School'
    ELSE concat(['Ashby', 'Brook', 'Castle', 'Dale', 'Elm', 'Fern', 'Grange', 'Hill'][1 + i % 8], ' ',
                ['Park', 'Lane', 'Vale', 'Green', 'Road'][1 + (i // 8) % 5], ' ',
                CASE WHEN i % 5 = 0 THEN 'Academy' ELSE 'Primary School' END)
  END AS name,
  CASE WHEN i % 5 = 0 THEN 'Secondary' ELSE 'Primary' END AS phase,
  CASE WHEN i % 5 = 0 THEN 'Academy converter' ELSE 'Community school' END AS type_of_establishment,
  'Test region' AS region_name,
  concat('ZZ', i, ' 1AA') AS postcode,
  CAST($pupils_per_school AS INTEGER) AS headcount,
  CAST(10 + i % 30 AS DOUBLE) AS fsm_pct,
  CAST(5 + i % 20 AS DOUBLE) AS eal_pct
FROM range(1, CAST($schools AS INTEGER) + 1) AS t(i);

CREATE TABLE fixture_enrolment_term AS
WITH enrolment AS (
  SELECT s.urn, s.la_code, p AS n,
    -- Absence proneness 0–1, skewed low, with a school effect so schools differ.
    power((hash(s.urn, p) % 1000) / 1000.0, 3) * 0.6 + (s.urn % 7) / 100.0 AS proneness
  FROM fixture_school AS s, range(1, CAST($pupils_per_school AS INTEGER) + 1) AS t(p)
), term AS (
  SELECT * FROM (VALUES ('autumn', 142), ('spring', 118), ('summer', 120)) AS t(term, possible)
), scope AS (
  SELECT * FROM (VALUES ('operational'), ('dfe')) AS t(scope)
), row AS (
  SELECT e.*, t.term, t.possible, sc.scope,
    CAST(round(t.possible * e.proneness * ((hash(e.urn, e.n, t.term) % 100) / 50.0)) AS INTEGER) AS absent_raw
  FROM enrolment AS e, term AS t, scope AS sc
  -- The DfE scope leaves out one enrolment in ten (e.g. under 5 at 31 August).
  WHERE sc.scope = 'operational' OR e.n % 10 <> 0
), bounded AS (
  SELECT *, least(absent_raw, possible) AS absent FROM row
)
SELECT
  la_code,
  la_code AS la,
  replace(CAST($academic_year AS VARCHAR), '/', '-') AS academic_year,
  term,
  urn,
  concat('T', lpad(CAST(urn AS VARCHAR), 7, '0'), lpad(CAST(n AS VARCHAR), 4, '0'), 'A') AS upn,
  scope,
  CAST(1 + n % 6 AS VARCHAR) AS nc_year,
  CAST(5 + n % 6 AS INTEGER) AS age_at_31_august,
  possible AS possible_sessions,
  possible - absent - (n % 3 = 0)::INTEGER AS present_sessions,
  (n % 3 = 0)::INTEGER AS approved_educational_activity,
  CAST(round(absent * 0.7) AS INTEGER) AS authorised_absence,
  absent - CAST(round(absent * 0.7) AS INTEGER) AS unauthorised_absence,
  absent AS overall_absence,
  CAST(absent // 4 AS INTEGER) AS late_sessions
FROM bounded;
