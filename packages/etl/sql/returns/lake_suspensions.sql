-- lake/suspensions for the accepted returns of the batch.
SELECT r.rid,
       s.upn, s.category, strptime(s.start_date, '%Y-%m-%d')::DATE AS start_date,
       CAST(s.sessions AS INTEGER) AS sessions, s.reason
FROM b_suspensions s JOIN b_returns r USING (rid)
WHERE r.accepted
