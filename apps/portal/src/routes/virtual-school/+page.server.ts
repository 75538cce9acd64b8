import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { NATIONAL_FIELDS, parseNationalFiguresForm, SET_EDUCATION_PLAN, SET_NATIONAL_FIGURES, UPN_PATTERN, VIRTUAL_SCHOOL_QUERY, type FormError } from '$lib/social-care';

/** The virtual school dashboard (the API refuses roles that do not follow looked-after children). */
export const load: PageServerLoad = async ({ locals }) => {
  if (!locals.user?.pupilLevel) error(403, { message: 'Your role shows figures for groups of pupils only.', code: 'FORBIDDEN' });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const result = await locals.api.execute<{ virtualSchool: any }>(VIRTUAL_SCHOOL_QUERY, { markSeen: true });
  if (!result.ok) {
    if (result.failure.code === 'GRAPHQL_ERRORS') error(403, { message: 'The virtual school dashboard is for the virtual school and LA-wide roles.', code: 'FORBIDDEN' });
    error(502, { message: 'Sorry, there is a problem with the attendance data service', code: result.failure.code });
  }
  return { vs: result.data.virtualSchool, canEdit: locals.user.role === 'virtual_school' };
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
  /** Record a year's national figures for looked-after children (the API decides who may). */
  national: async ({ request, locals }) => {
    const form = await request.formData();
    const nationalValues = Object.fromEntries(NATIONAL_FIELDS.map((f) => [f, String(form.get(f) ?? '')]));
    const parsed = parseNationalFiguresForm(form);
    if (!parsed.ok) return fail(400, { nationalErrors: parsed.errors, nationalValues });
    const result = await locals.api.execute(SET_NATIONAL_FIGURES, { input: parsed.input });
    if (!result.ok) {
      const nationalErrors: FormError[] = result.failure.messages.map((message) => ({ field: fieldOf(message), message }));
      return fail(400, { nationalErrors, nationalValues });
    }
    return { nationalSaved: parsed.input.academicYear };
  },
};

/** Which field an API refusal is about, for the error summary's link (the year when it cannot tell). */
function fieldOf(message: string): FormError['field'] {
  if (/^Overall/i.test(message)) return 'national-overall';
  if (/^Persistent/i.test(message)) return 'national-persistent';
  if (/source/i.test(message)) return 'national-source';
  return 'national-year';
}
