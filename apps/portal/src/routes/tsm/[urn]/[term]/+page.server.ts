import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { parseUrn } from '$lib/school-pupils';
import { holdsMeetings, parseMeetingForm, parseTermSegment, RECORD_MEETING, TSM_PACK_QUERY, type TsmOptions, type TsmPack } from '$lib/tsm';

function params(p: { urn: string; term: string }) {
  const urn = parseUrn(p.urn);
  const term = parseTermSegment(p.term);
  if (urn === null || term === null) error(404, { message: 'There is no pack at this address', code: 'NOT_FOUND' });
  return { urn, ...term };
}

/** A school's TSM pack for a term (read through the API, which checks the scope and audits it). */
export const load: PageServerLoad = async ({ locals, params: p }) => {
  if (!locals.user?.pupilLevel) error(403, { message: 'Your role shows figures for groups of pupils only.', code: 'FORBIDDEN' });
  const { urn, academicYear, term } = params(p);
  const data = await locals.api.request<{ tsmPack: TsmPack; tsmOptions: TsmOptions }>(TSM_PACK_QUERY, { urn, academicYear, term });
  return { pack: data.tsmPack, options: data.tsmOptions, canRecord: holdsMeetings(locals.user.role) };
};

export const actions: Actions = {
  /** Records the meeting; errors go back to the form with the values typed. */
  record: async ({ locals, params: p, request }) => {
    const { urn, academicYear, term } = params(p);
    const form = await request.formData();
    const values = Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v)]));
    const parsed = parseMeetingForm(form);
    if (!parsed.ok) return fail(400, { errors: parsed.errors, values });
    const result = await locals.api.execute(RECORD_MEETING, { input: { urn, academicYear, term, ...parsed.meeting } });
    if (!result.ok) return fail(400, { errors: result.failure.messages.map((message) => ({ field: 'date-day', message })), values });
    redirect(303, `/tsm/${urn}/${p.term}?recorded=yes#actions`);
  },
};
