-- Problems in a typed statistical-neighbour list (rb_sn_typed), one row each.
SELECT line, 'la_number' AS column_name, 'SN_LA_CODE_INVALID' AS code, 'not a 3-digit LA number (found "' || coalesce(la_code, '') || '")' AS message
FROM rb_sn_typed WHERE la_code IS NULL OR NOT regexp_full_match(la_code, '[0-9]{3}')
UNION ALL
SELECT line, 'sn_la_number', 'SN_LA_CODE_INVALID', 'not a 3-digit LA number (found "' || coalesce(sn_la_code, '') || '")'
FROM rb_sn_typed WHERE sn_la_code IS NULL OR NOT regexp_full_match(sn_la_code, '[0-9]{3}')
UNION ALL
SELECT line, 'rank', 'SN_RANK_INVALID', 'rank must be a whole number from 1 to ' || $neighbours
FROM rb_sn_typed WHERE rank IS NULL OR rank < 1 OR rank > $neighbours
UNION ALL
SELECT line, 'closeness', 'SN_CLOSENESS_UNKNOWN', 'closeness must be one of ' || array_to_string($bands, ', ') || ' (found "' || coalesce(closeness, '') || '")'
FROM rb_sn_typed WHERE closeness IS NOT NULL AND NOT list_contains($bands, closeness)
UNION ALL
SELECT min(line), 'rank', 'SN_RANK_DUPLICATE', 'LA ' || la_code || ' has rank ' || rank || ' more than once'
FROM rb_sn_typed WHERE rank IS NOT NULL GROUP BY la_code, rank HAVING count(*) > 1
UNION ALL
SELECT min(line), 'la_number', 'SN_COUNT', 'LA ' || la_code || ' has ' || count(*) || ' neighbours, not ' || $neighbours
FROM rb_sn_typed GROUP BY la_code HAVING count(*) <> $neighbours
ORDER BY 1, 2
