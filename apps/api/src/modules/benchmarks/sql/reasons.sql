-- Sessions per register code for a school and year (DfE scope): every reason_* column summed.
UNPIVOT (
  SELECT sum(COLUMNS('^reason_')), CAST(sum(possible_sessions) AS BIGINT) AS possible
  FROM fct_enrolment_term
  WHERE academic_year = $academic_year AND scope = 'dfe' AND urn = $urn
) ON COLUMNS('^reason_') INTO NAME code VALUE sessions;
