-- The lake copy of a validated suspensions.csv. Parameter: $urn (INTEGER).
SELECT CAST($urn AS INTEGER) AS urn, upper(upn) AS upn, upper(category) AS category,
       strptime(start_date, '%Y-%m-%d')::DATE AS start_date, CAST(sessions AS INTEGER) AS sessions, reason
FROM rb_suspensions
ORDER BY upn, start_date
