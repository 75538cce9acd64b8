-- The register's amendment history (lake/amendments) for sessions in [$from, $to], optionally one
-- school ($urn). Hive partitions give the LA, year, term and school.
SELECT la AS la_code, replace(academic_year, '-', '/') AS academic_year, term, urn, upn,
       strftime(date, '%Y-%m-%d') AS date, session, original_mark, amended_mark, reason,
       strftime(amended_on, '%Y-%m-%d') AS amended_on, amended_by
FROM read_parquet($glob, hive_partitioning = true, union_by_name = true,
                  hive_types = {'la': VARCHAR, 'academic_year': VARCHAR, 'term': VARCHAR, 'urn': INTEGER})
WHERE date BETWEEN CAST($from AS DATE) AND CAST($to AS DATE)
  AND ($urn IS NULL OR urn = $urn)
ORDER BY urn, upn, date, session, amended_on
