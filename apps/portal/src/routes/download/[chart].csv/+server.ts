import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { loadOverview } from '$lib/server/la-overview';
import { findSchoolRateChart, schoolRatesCsv, schoolRatesFilename } from '$lib/school-rates';

/** The CSV behind a per-school chart, for the same year and scope as the page: `/download/attendance-by-school.csv?year=2024/25&scope=dfe`. */
export const GET: RequestHandler = async ({ locals, params, url }) => {
  const chart = findSchoolRateChart(params.chart);
  if (!chart) error(404, { message: 'There is no download with that name', code: 'NOT_FOUND' });
  const data = await loadOverview(locals.api, url.searchParams);
  if (data.state === 'empty') error(404, { message: 'No attendance data loaded yet', code: 'EMPTY_WAREHOUSE' });
  const { overview } = data;
  return new Response(schoolRatesCsv(overview.schools, chart), {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${schoolRatesFilename(chart, overview.academicYear, overview.scope)}"`,
      'cache-control': 'private, no-store',
    },
  });
};
