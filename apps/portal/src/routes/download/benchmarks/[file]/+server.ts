import type { RequestHandler } from './$types';
import { downloadTable } from '$lib/server/benchmarks';

/**
 * The figures behind a benchmarks chart: `/download/benchmarks/neighbours.csv?year=2024/25`, or a
 * school page's with `&urn=103812`; `.xlsx` for Excel. Made from the same table as the page shows.
 */
export const GET: RequestHandler = ({ locals, params, url }) => downloadTable(locals.api, params.file, url.searchParams);
