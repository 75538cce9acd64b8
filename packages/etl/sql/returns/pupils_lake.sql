-- The lake copy of a validated pupils.csv (typed; line numbers dropped).
SELECT * EXCLUDE (line) FROM rb_pupils_typed ORDER BY upn
