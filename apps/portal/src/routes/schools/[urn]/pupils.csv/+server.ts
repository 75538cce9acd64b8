import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { apiBase } from '$lib/server/session';
import { parseUrn } from '$lib/school-pupils';

/** The school's pupil list as CSV: the API's export, through the user's session (scoped and audited there). */
export const GET: RequestHandler = async ({ params, url, fetch, locals, request, getClientAddress }) => {
  const urn = parseUrn(params.urn);
  if (urn === null) error(404, { message: 'There is no school with that URN', code: 'NOT_FOUND' });
  const query = new URLSearchParams({ scope: 'operational' });
  const year = url.searchParams.get('year');
  if (year && /^\d{4}\/\d{2}$/.test(year)) query.set('academicYear', year);
  const response = await fetch(`${apiBase(locals.apiUrl)}/exports/schools/${urn}/pupils.csv?${query}`, {
    headers: { cookie: request.headers.get('cookie') ?? '', 'x-forwarded-for': getClientAddress() },
  });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { message?: string };
    error(response.status === 403 ? 403 : 502, { message: body.message ?? 'The download could not be made', code: 'DOWNLOAD_FAILED' });
  }
  return new Response(await response.text(), {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': response.headers.get('content-disposition') ?? `attachment; filename="pupils-${urn}.csv"`,
      'cache-control': 'private, no-store',
    },
  });
};
