-- LAs with returns (the benchmarks warm-up on start).
SELECT DISTINCT la_code FROM fct_enrolment_term WHERE la_code IS NOT NULL ORDER BY la_code;
