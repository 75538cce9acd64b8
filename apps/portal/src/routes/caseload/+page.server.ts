import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { CASELOAD_QUERY, type Alert, type SocialCareChild, type UnmatchedChild } from '$lib/social-care';

/** The children the user holds today (the API scopes and audits the read). */
export const load: PageServerLoad = async ({ locals }) => {
  if (!locals.user?.pupilLevel) error(403, { message: 'Your role shows figures for groups of pupils only.', code: 'FORBIDDEN' });
  const { caseload } = await locals.api.request<{
    caseload: { today: string; academicYear: string; seenThrough: string | null; children: SocialCareChild[]; alerts: Alert[]; unmatched: UnmatchedChild[] };
  }>(CASELOAD_QUERY);
  return { caseload };
};
