import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { boardCsv, VIRTUAL_SCHOOL_QUERY, type CohortFigures } from '$lib/social-care';

/** The corporate parenting board's figures as CSV: the cohort only, no child named (the read is audited by the API). */
export const GET: RequestHandler = async ({ locals }) => {
  const result = await locals.api.execute<{ virtualSchool: { academicYear: string; today: string; cohort: CohortFigures } }>(VIRTUAL_SCHOOL_QUERY, { markSeen: false });
  if (!result.ok) error(403, { message: 'The board export is for the virtual school and LA-wide roles.', code: 'FORBIDDEN' });
  const vs = result.data.virtualSchool;
  return new Response(boardCsv(vs.academicYear, vs.today, vs.cohort), {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="looked-after-children-${vs.academicYear.replace('/', '-')}-${vs.today}.csv"`,
      'cache-control': 'private, no-store',
    },
  });
};
