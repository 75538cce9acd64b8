-- Marks of the batch counted per return × pupil × code × side of the summer HT2 start and of every
-- date inside the batch where a code's meaning changes: a few rows per pupil instead of ~130. The
-- checks look for unknown pupils, codes and dates outside the roll here, and the mart counts them
-- with weights (the same result, proved by the metrics property test).
-- Placeholders: ht2_test (the HT2 test for the years in the batch), boundary_keys.
CREATE OR REPLACE TEMP TABLE b_mark_counts AS
SELECT rid, upn, mark, {{ht2_test}} AS in_ht2, {{boundary_keys}}
       min(date) AS first_date, max(date) AS last_date, count(*) AS n
FROM b_marks
GROUP BY ALL
