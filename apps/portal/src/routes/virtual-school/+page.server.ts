import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { SET_EDUCATION_PLAN, UPN_PATTERN, VIRTUAL_SCHOOL_QUERY } from '$lib/social-care';

/** The virtual school dashboard (the API refuses roles that do not follow looked-after children). */
export const load: PageServerLoad = async ({ locals }) => {
  if (!locals.user?.pupilLevel) error(403, { message: 'Your role shows figures for groups of pupils only.', code: 'FORBIDDEN' });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const result = await locals.api.execute<{ virtualSchool: any }>(VIRTUAL_SCHOOL_QUERY, { markSeen: true });
  if (!result.ok) {
    if (result.failure.code === 'GRAPHQL_ERRORS') error(403, { message: 'The virtual school dashboard is for the virtual school and LA-wide roles.', code: 'FORBIDDEN' });
    error(502, { message: 'Sorry, there is a problem with the attendance data service', code: result.failure.code });
  }
  return { vs: result.data.virtualSchool, canEdit: locals.user.role.toLowerCase() === 'virtual_school' };
};

export const actions: Actions = {
  /** Record a child's PEP and support-plan status. */
  plan: async ({ request, locals }) => {
    const form = await request.formData();
    const upn = String(form.get('upn') ?? '').toUpperCase();
    const pepStatus = String(form.get('pepStatus') ?? '');
    const pepDate = String(form.get('pepDate') ?? '') || null;
    const supportPlan = String(form.get('supportPlan') ?? '') || null;
    if (!UPN_PATTERN.test(upn)) return fail(400, { message: 'That is not a UPN.' });
    const result = await locals.api.execute(SET_EDUCATION_PLAN, { upn, pepStatus, pepDate, supportPlan });
    if (!result.ok) return fail(400, { message: result.failure.messages.join(' ') });
    return { saved: upn };
  },
};
