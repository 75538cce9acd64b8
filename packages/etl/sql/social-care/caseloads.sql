-- lake/social-care/caseloads from a staged caseloads.csv (rb_sc). Dates YYYY-MM-DD or DD/MM/YYYY.
SELECT worker_id, worker_name, worker_email, team, la_child_id, upper(upn) AS upn,
       coalesce(try_strptime(start_date, '%Y-%m-%d'), try_strptime(start_date, '%d/%m/%Y'))::DATE AS start_date,
       coalesce(try_strptime(end_date, '%Y-%m-%d'), try_strptime(end_date, '%d/%m/%Y'))::DATE AS end_date
FROM rb_sc
