-- lake/pupils for the accepted returns of the batch, written per return (PARTITION_BY rid) and moved into place.
SELECT r.rid,
       p.* EXCLUDE (rid, rn, urn)
FROM b_pupils_typed p JOIN b_returns r USING (rid)
WHERE r.accepted
