-- lake/social-care/ssda903-header from a staged SSDA903 header table (rb_sc). Dates DD/MM/YYYY.
SELECT child AS la_child_id, sex, try_strptime(dob, '%d/%m/%Y')::DATE AS dob, ethnic AS ethnicity,
       upper(upn) AS upn
FROM rb_sc
