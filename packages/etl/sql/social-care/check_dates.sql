-- Date columns of a staged social care table (rb_sc) that are present but do not parse.
-- {{checks}} is one SELECT per date column, generated from the reader's column list.
SELECT code, line, col, value, message, CAST(count(*) OVER (PARTITION BY col) AS INTEGER) AS total
FROM ({{checks}})
QUALIFY row_number() OVER (PARTITION BY col ORDER BY line) <= 20
ORDER BY col, line
