import type { PageServerLoad } from './$types';
import { loadOverview } from '$lib/server/la-overview';

export const load: PageServerLoad = async ({ locals, url }) => {
  const data = await loadOverview(locals.api, url.searchParams);
  return {
    ...data,
    laName: data.state === 'ready' ? data.overview.laName : undefined,
    producedOn: new Date().toISOString().slice(0, 10),
  };
};
