-- lake/social-care/ssda903-episodes from a staged SSDA903 episodes table (rb_sc). URN XXXXXXX
-- (not at school or not known) becomes NULL.
SELECT child AS la_child_id, try_strptime(decom, '%d/%m/%Y')::DATE AS decom, rne, ls AS legal_status,
       cin, place, place_provider, try_strptime(dec, '%d/%m/%Y')::DATE AS dec, rec,
       reason_place_change, home_post, pl_post, try_cast(urn AS INTEGER) AS urn
FROM rb_sc
