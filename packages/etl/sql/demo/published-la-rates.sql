-- The LA's published 2024/25 figures by phase and for all phases together (EES_ytd_data has no
-- LA "Total" row): overall absence = Σ overall_absence / Σ possible_sessions; PA = Σ persistent
-- absentees / Σ enrolments, persistent absentees being pa_perc × total_enrolments.
WITH la AS (
  SELECT school_type,
    CAST(overall_absence AS DOUBLE) AS overall_absence,
    CAST(possible_sessions AS DOUBLE) AS possible_sessions,
    CAST(total_enrolments AS DOUBLE) AS enrolments,
    CAST(pa_perc AS DOUBLE) AS pa_perc
  FROM read_csv($path, all_varchar = true, header = true)
  WHERE geographic_level = 'Local authority' AND TRY_CAST(old_la_code AS INTEGER) = $la
    AND school_type IN ('Primary', 'Secondary', 'Special')
)
SELECT school_type, 100 * overall_absence / possible_sessions AS overall_absence_perc, pa_perc FROM la
UNION ALL
SELECT 'Total', 100 * sum(overall_absence) / sum(possible_sessions), sum(pa_perc * enrolments) / sum(enrolments) FROM la
ORDER BY school_type;
