-- lake/pupils for the accepted returns of the batch, partitioned by the caller's PARTITION_BY.
SELECT r.la_code AS la, r.path_year AS academic_year, r.term, r.urn,
       p.* EXCLUDE (rid, rn, urn)
FROM b_pupils_typed p JOIN b_returns r USING (rid)
WHERE r.accepted
