import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { holdsMeetings, TSM_ACTIONS_QUERY, UPDATE_ACTION, type TsmAction, type TsmOptions } from '$lib/tsm';

/** The action tracker: open actions of the user's schools, overdue reviews first. */
export const load: PageServerLoad = async ({ locals, url }) => {
  if (!holdsMeetings(locals.user?.role)) error(403, { message: 'Your role does not hold targeting support meetings.', code: 'FORBIDDEN' });
  const overdueOnly = url.searchParams.get('overdue') === 'yes';
  const data = await locals.api.request<{ tsmActions: TsmAction[]; tsmOptions: TsmOptions }>(TSM_ACTIONS_QUERY, { overdueOnly });
  const actions = [...data.tsmActions].sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.reviewDate.localeCompare(b.reviewDate));
  return { actions, options: data.tsmOptions, overdueOnly };
};

export const actions: Actions = {
  /** Marks an action done or dropped. */
  status: async ({ locals, request }) => {
    const form = await request.formData();
    const id = String(form.get('id') ?? '');
    const status = String(form.get('status') ?? '');
    const result = await locals.api.execute(UPDATE_ACTION, { id, change: { status } });
    if (!result.ok) return fail(400, { message: result.failure.messages.join(' ') });
    return { updated: id };
  },
};
