import type { PageServerLoad } from './$types';
import { loadReturnsComparators } from '$lib/server/benchmarks';

/** The LA's own figures from its returns against its statistical neighbours, region and England. */
export const load: PageServerLoad = async ({ locals, url }) => ({ data: await loadReturnsComparators(locals.api, url.searchParams) });
