-- Overall absence and persistent absence of generated returns in DfE statistics scope:
-- pupils aged 5–15 on 31 August ($age_date), no boarders, totals per enrolment (school × pupil)
-- for the year, summer second half term (from $ht2_start) removed for pupils aged 15, enrolments
-- first starting in that half term and zero-possible enrolments left out; sum, then divide.
-- D, X, Z, #, Q and Y1–Y7 are not possible sessions (attendance-methodology.md §1.1).
WITH pupils AS (
  SELECT DISTINCT urn, upn, CAST(dob AS DATE) AS dob, coalesce(boarder, 'N') AS boarder
  FROM read_csv($pupils, header = true, all_varchar = true, union_by_name = true)
),
aged AS (
  SELECT *, year($age_date::DATE) - year(dob) - CASE WHEN strftime(dob, '%m-%d') > strftime($age_date::DATE, '%m-%d') THEN 1 ELSE 0 END AS age
  FROM pupils
),
marks AS (
  SELECT m.urn, m.upn, CAST(m.date AS DATE) AS date, m.mark, a.age
  FROM read_csv($marks, header = true, all_varchar = true) m
  JOIN aged a USING (urn, upn)
  WHERE a.age BETWEEN 5 AND 15 AND a.boarder <> 'Y'
),
enrolments AS (
  SELECT urn, upn, any_value(age) AS age, min(date) AS first_mark,
    count(*) FILTER (WHERE mark NOT IN ('D', 'X', 'Z', '#', 'Q', 'Y1', 'Y2', 'Y3', 'Y4', 'Y5', 'Y6', 'Y7')
      AND NOT (age = 15 AND date >= $ht2_start::DATE)) AS possible,
    count(*) FILTER (WHERE mark IN ('C1', 'M', 'J1', 'S', 'C2', 'C', 'T', 'R', 'I', 'E', 'G', 'N', 'O', 'U')
      AND NOT (age = 15 AND date >= $ht2_start::DATE)) AS absence
  FROM marks
  GROUP BY urn, upn
)
SELECT
  CAST(urn AS INTEGER) AS urn,
  CAST(count(*) AS INTEGER) AS enrolments,
  CAST(sum(possible) AS DOUBLE) AS possible,
  CAST(sum(absence) AS DOUBLE) AS absence,
  CAST(count(*) FILTER (WHERE absence >= 0.1 * possible) AS INTEGER) AS persistent
FROM enrolments
WHERE possible > 0 AND absence <= possible AND first_mark < $ht2_start::DATE
GROUP BY urn;
