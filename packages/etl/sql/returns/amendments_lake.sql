-- The lake copy of a validated amendments.csv. Parameter: $urn (INTEGER).
SELECT CAST($urn AS INTEGER) AS urn, upper(upn) AS upn,
       strptime(date, '%Y-%m-%d')::DATE AS date, upper(session) AS session,
       upper(original_mark) AS original_mark, upper(amended_mark) AS amended_mark, reason,
       strptime(amended_on, '%Y-%m-%d')::DATE AS amended_on, amended_by
FROM rb_amendments
ORDER BY upn, date, session, amended_on
