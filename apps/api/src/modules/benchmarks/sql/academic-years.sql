-- Academic years with returns for an LA, newest first.
SELECT DISTINCT academic_year FROM fct_enrolment_term WHERE la_code = $la_code ORDER BY academic_year DESC;
