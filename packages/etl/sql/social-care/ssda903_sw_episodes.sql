-- lake/social-care/ssda903-sw-episodes from a staged SSDA903 social worker episodes table (rb_sc).
SELECT child AS la_child_id, try_strptime(dob, '%d/%m/%Y')::DATE AS dob, sw_id,
       try_strptime(sw_decom, '%d/%m/%Y')::DATE AS sw_decom, try_strptime(sw_dec, '%d/%m/%Y')::DATE AS sw_dec,
       sw_reason
FROM rb_sc
