-- The school's and its LA's figures for one term (operational scope, sum then divide): no pupil
-- data leaves this query. Persistent and severe use the enrolment's own term totals.
WITH enrolments AS (
  SELECT
    e.la_code,
    e.urn,
    sum(e.possible_sessions) AS possible,
    sum(e.present_sessions + e.approved_educational_activity) AS attended,
    sum(e.overall_absence) AS absent
  FROM fct_enrolment_term AS e
  WHERE e.la_code = $la_code AND e.academic_year = $academic_year AND e.term = $term AND e.scope = 'operational'
  GROUP BY e.la_code, e.urn, upper(e.upn)
  HAVING sum(e.possible_sessions) > 0
),
grouped AS (
  SELECT
    CASE WHEN urn = $urn THEN 'school' ELSE 'other' END AS who,
    sum(possible) AS possible,
    sum(attended) AS attended,
    CAST(count(*) AS INTEGER) AS enrolments,
    CAST(count(*) FILTER (WHERE absent * 100 >= possible * $persistent_pct) AS INTEGER) AS persistent,
    CAST(count(*) FILTER (WHERE absent * 100 >= possible * $severe_pct) AS INTEGER) AS severe
  FROM enrolments
  GROUP BY ALL
)
SELECT 'school' AS who, possible, attended, enrolments, persistent, severe FROM grouped WHERE who = 'school'
UNION ALL
SELECT 'la', sum(possible), sum(attended), CAST(sum(enrolments) AS INTEGER), CAST(sum(persistent) AS INTEGER), CAST(sum(severe) AS INTEGER) FROM grouped;
