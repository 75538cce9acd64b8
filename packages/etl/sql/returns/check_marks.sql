-- Row-level checks of the marks of the returns in $rids (b_marks_lines: those returns' marks read
-- again in file order, so that rowid gives the line; `urn`, `date` and `minutes_late` parsed by the
-- reader, NULL when empty) against each return's school, pupils and academic year (b_returns,
-- b_codes, b_pupils_typed). Run only for returns check_marks_suspects.sql found something in: one
-- pass flags the failing rows, which are then spelt out with their lines. Parameters: $rids, $per_code.
WITH flagged AS (
  SELECT b.rid, b.rowid AS rn, b.urn, b.upn, strftime(b.date, '%Y-%m-%d') AS date_text,
         b.date AS d, b.session, b.mark, b.minutes_late, r.urn AS expected_urn,
         p.upn IS NULL AS unknown_pupil, p.leaving_date, p.admission_date, c.code IS NULL AS bad_code
  FROM b_marks_lines b
  JOIN b_returns r USING (rid)
  LEFT JOIN b_pupils_typed p ON p.rid = b.rid AND p.upn = b.upn
  LEFT JOIN b_codes c ON c.academic_year = r.academic_year AND c.code = b.mark
  WHERE list_contains($rids, b.rid) AND (b.urn IS DISTINCT FROM r.urn_text OR b.upn IS NULL OR p.upn IS NULL OR b.date IS NULL
     OR isodow(b.date) IN (6, 7) OR b.date NOT BETWEEN DATE '2000-01-01' AND DATE '2099-12-31' OR b.session IS NULL OR b.session NOT IN ('AM', 'PM') OR c.code IS NULL
     OR b.minutes_late < 0
     OR b.date > p.leaving_date OR b.date < p.admission_date)
),
duplicates AS (
  SELECT b.rid, b.rowid AS rn, b.upn || ' ' || strftime(b.date, '%Y-%m-%d') || ' ' || b.session AS value
  FROM b_marks_lines b SEMI JOIN (
    SELECT rid, upn, date, session FROM b_marks_lines
    WHERE list_contains($rids, rid) AND date IS NOT NULL AND upn IS NOT NULL GROUP BY ALL HAVING count(*) > 1
  ) dup ON b.rid = dup.rid AND b.upn = dup.upn AND b.date = dup.date AND b.session = dup.session
),
failures AS (
  SELECT rid, 'MARK_URN_MISMATCH' AS code, rn, 'urn' AS col, CAST(urn AS VARCHAR) AS value,
         'URN does not match the school of this return (' || expected_urn || ')' AS message
  FROM flagged WHERE urn IS DISTINCT FROM expected_urn
  UNION ALL
  SELECT rid, 'MARK_UPN_MISSING', rn, 'upn', upn, 'UPN is empty' FROM flagged WHERE upn IS NULL
  UNION ALL
  SELECT rid, 'MARK_PUPIL_UNKNOWN', rn, 'upn', upn, 'pupil is not in pupils.csv' FROM flagged WHERE unknown_pupil AND upn IS NOT NULL
  UNION ALL
  SELECT rid, 'MARK_DATE_MISSING', rn, 'date', NULL, 'the date is empty; expected a date YYYY-MM-DD' FROM flagged WHERE d IS NULL
  UNION ALL
  SELECT rid, 'MARK_DATE_NOT_SCHOOL_DAY', rn, 'date', date_text, 'date is a Saturday or Sunday' FROM flagged WHERE isodow(d) IN (6, 7)
  UNION ALL
  SELECT rid, 'MARK_DATE_IMPLAUSIBLE', rn, 'date', date_text, 'not a register date (a year between 2000 and 2099)' FROM flagged WHERE d NOT BETWEEN DATE '2000-01-01' AND DATE '2099-12-31'
  UNION ALL
  SELECT rid, 'MARK_SESSION_INVALID', rn, 'session', session, 'expected AM or PM' FROM flagged WHERE session IS NULL OR session NOT IN ('AM', 'PM')
  UNION ALL
  SELECT rid, 'MARK_CODE_INVALID', rn, 'mark', mark, 'not a register code valid in this academic year' FROM flagged WHERE bad_code
  UNION ALL
  SELECT rid, 'MARK_MINUTES_LATE_INVALID', rn, 'minutes_late', CAST(minutes_late AS VARCHAR), 'expected a whole number of minutes, not negative'
  FROM flagged WHERE minutes_late < 0
  UNION ALL
  SELECT rid, 'MARK_AFTER_LEAVING', rn, 'date', date_text, 'mark after the pupil''s leaving date (' || strftime(leaving_date, '%Y-%m-%d') || ')'
  FROM flagged WHERE d > leaving_date
  UNION ALL
  SELECT rid, 'MARK_BEFORE_ADMISSION', rn, 'date', date_text, 'mark before the pupil''s admission date (' || strftime(admission_date, '%Y-%m-%d') || ')'
  FROM flagged WHERE d < admission_date
  UNION ALL
  SELECT rid, 'MARK_DUPLICATE', rn, 'session', value, 'the same pupil and session is marked more than once' FROM duplicates
)
SELECT rid, code, rn, col, value, message, CAST(count(*) OVER (PARTITION BY rid, code) AS INTEGER) AS total
FROM failures
QUALIFY row_number() OVER (PARTITION BY rid, code ORDER BY rn) <= $per_code
ORDER BY rid, code, rn
