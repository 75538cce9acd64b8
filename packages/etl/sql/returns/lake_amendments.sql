-- lake/amendments for the accepted returns of the batch.
SELECT r.rid,
       a.upn, strptime(a.date, '%Y-%m-%d')::DATE AS date, a.session, a.original_mark, a.amended_mark, a.reason,
       strptime(a.amended_on, '%Y-%m-%d')::DATE AS amended_on, a.amended_by
FROM b_amendments a JOIN b_returns r USING (rid)
WHERE r.accepted
