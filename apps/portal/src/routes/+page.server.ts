import type { PageServerLoad } from './$types';
import { loadLaBenchmarks } from '$lib/server/benchmarks';
import { loadOverview } from '$lib/server/la-overview';

export const load: PageServerLoad = async ({ locals, url }) => {
  const data = await loadOverview(locals.api, url.searchParams);
  const benchmarks = data.state === 'ready' ? await loadLaBenchmarks(locals.api, url.searchParams) : null;
  return {
    ...data,
    benchmarks,
    laName: data.state === 'ready' ? data.overview.laName : undefined,
    producedOn: new Date().toISOString().slice(0, 10),
  };
};
