-- Which returns of the batch have anything wrong in marks.csv, from small aggregates (a clean
-- batch is never read row by row). check_marks.sql then finds the rows in those returns.
WITH values_seen AS (
  SELECT rid, urn, session, date, minutes_late FROM b_marks GROUP BY ALL
),
-- A session marked twice: sessions are numbered from {{first_date}} (AM even, PM odd), and per pupil
-- and block of 64 sessions the marks set one bit each; fewer bits set than marks means a session
-- came twice. Much cheaper than grouping by every session; check_marks.sql then finds the rows.
sessions AS (
  SELECT rid, upn, CAST((date - DATE '{{first_date}}') * 2 + (session = 'PM')::INTEGER AS INTEGER) AS s
  FROM b_marks
  WHERE date BETWEEN DATE '{{first_date}}' AND DATE '{{last_date}}' AND session IN ('AM', 'PM')
),
duplicates AS (
  SELECT DISTINCT rid FROM (
    SELECT rid FROM sessions
    GROUP BY rid, upn, s // 64
    HAVING count(*) <> bit_count(bit_or(CAST(1 AS UBIGINT) << CAST(s % 64 AS UBIGINT)))
  )
)
SELECT DISTINCT rid FROM (
  SELECT v.rid FROM values_seen v JOIN b_returns r USING (rid)
  WHERE v.urn IS DISTINCT FROM r.urn OR v.session IS NULL OR v.session NOT IN ('AM', 'PM')
     OR v.date IS NULL OR isodow(v.date) IN (6, 7) OR v.date NOT BETWEEN DATE '2000-01-01' AND DATE '2099-12-31'
     OR v.minutes_late < 0
  UNION ALL
  SELECT c.rid FROM b_mark_counts c
  JOIN b_returns r USING (rid)
  LEFT JOIN b_pupils_typed p ON p.rid = c.rid AND p.upn = c.upn
  LEFT JOIN b_codes k ON k.academic_year = r.academic_year AND k.code = c.mark
  WHERE c.upn IS NULL OR p.upn IS NULL OR k.code IS NULL OR c.last_date > p.leaving_date OR c.first_date < p.admission_date
  UNION ALL
  SELECT rid FROM duplicates
)
ORDER BY rid
