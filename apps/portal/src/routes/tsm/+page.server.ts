import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { holdsMeetings, TERMS, TSM_PLANNER_QUERY, type TermName, type TsmStoredPack } from '$lib/tsm';

interface PlannerRow {
  urn: number;
  name: string | null;
  meetingDate: string | null;
  meetingId: string | null;
  openActions: number;
  overdueActions: number;
  storedPack: TsmStoredPack | null;
}

/** The TSM planner: schools with a return for the term, and whether their meeting has been held. */
export const load: PageServerLoad = async ({ locals, url }) => {
  if (!holdsMeetings(locals.user?.role)) error(403, { message: 'Your role does not hold targeting support meetings.', code: 'FORBIDDEN' });
  const years = await locals.api.request<{ academicYears: string[] }>('query { academicYears }');
  const asked = url.searchParams.get('year');
  const sorted = [...years.academicYears].sort().reverse();
  const academicYear = asked && sorted.includes(asked) ? asked : (sorted[0] ?? null);
  const termAsked = url.searchParams.get('term');
  const term: TermName = (TERMS as readonly string[]).includes(termAsked ?? '') ? (termAsked as TermName) : 'autumn';
  if (!academicYear) return { academicYear: null, term, years: sorted, schools: [] as PlannerRow[] };
  const data = await locals.api.request<{ tsmPlanner: PlannerRow[] }>(TSM_PLANNER_QUERY, { academicYear, term });
  return { academicYear, term, years: sorted, schools: data.tsmPlanner };
};
