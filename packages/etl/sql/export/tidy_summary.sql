-- School and LA summaries in the DfE tidy format (FORMATS.md §4 and §5): the enrolments' session
-- counts summed, then divided (methodology §8 rule 2); pa_perc and sa_perc are persistent and
-- severe absentees over enrolments with possible sessions (§8 rule 3).
-- Placeholders: <group_columns> (the geography of the level), <grouping> (GROUP BY clause),
-- <sum_columns>, <output_columns>, <persistent>, <severe>, <token_reason_columns> (generated
-- from @rollbook/metrics), <dim_school> (quoted path), <order>.
-- Parameters: $time_period, $time_identifier, $geographic_level.
WITH e AS (
  -- the token reason columns give way to the DfE ones (reason_present_am is in both)
  SELECT e.* EXCLUDE ({{token_reason_columns}}), d.* EXCLUDE (urn, upn), s.laestab, s.name AS school_name, s.la_name, s.region_name,
         coalesce(s.phase, 'Unknown') AS phase,
         {{persistent}} AS is_pa, {{severe}} AS is_sa
  FROM rb_x_enrolments e
  JOIN rb_x_dfe_reasons d USING (urn, upn)
  LEFT JOIN read_parquet({{dim_school}}) s ON s.urn = e.urn
),
g AS (
  SELECT {{group_columns}},
    CAST(count(*) FILTER (WHERE possible_sessions > 0) AS INTEGER) AS enrolments,
    {{sum_columns}},
    CAST(count(*) FILTER (WHERE possible_sessions > 0 AND is_pa) AS INTEGER) AS pa_enrolments,
    CAST(count(*) FILTER (WHERE possible_sessions > 0 AND is_sa) AS INTEGER) AS sa_enrolments
  FROM e
  {{grouping}}
)
SELECT $time_period AS time_period, $time_identifier AS time_identifier, $geographic_level AS geographic_level,
  {{output_columns}}
FROM g
ORDER BY {{order}}
