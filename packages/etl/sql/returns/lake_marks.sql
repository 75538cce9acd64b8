-- lake/marks for the accepted returns of the batch, typed.
SELECT r.rid,
       m.upn, m.date, m.session, m.mark,
       m.minutes_late
FROM b_marks m JOIN b_returns r USING (rid)
WHERE r.accepted
