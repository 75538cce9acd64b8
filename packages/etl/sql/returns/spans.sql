-- Per return in the batch: the school it names (first pupil row), and the first and last mark
-- dates, from which its academic year and term are worked out.
SELECT r.rid, p.urn_text, m.first_date, m.last_date
FROM (SELECT DISTINCT rid FROM b_pupils UNION SELECT DISTINCT rid FROM b_marks) r
LEFT JOIN (SELECT rid, arg_min(urn, rowid) AS urn_text FROM b_pupils GROUP BY rid) p USING (rid)
LEFT JOIN (
  SELECT rid, strftime(min(date), '%Y-%m-%d') AS first_date, strftime(max(date), '%Y-%m-%d') AS last_date
  FROM b_marks
  GROUP BY rid
) m USING (rid)
ORDER BY rid
