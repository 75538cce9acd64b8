import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { apiBase } from '$lib/server/session';
import { parseUrn } from '$lib/school-pupils';
import { parseTermSegment } from '$lib/tsm';

/** `pack.pdf`, `pack.xlsx`, `pack.csv`, `comparisons.csv`: the API's exports of the pack, through the user's session. */
export const GET: RequestHandler = async ({ params, fetch, locals, request, getClientAddress }) => {
  const urn = parseUrn(params.urn);
  const term = parseTermSegment(params.term);
  const file = /^(pack\.(pdf|xlsx|csv)|comparisons\.csv)$/.exec(params.file);
  if (urn === null || term === null || !file) error(404, { message: 'There is no such download', code: 'NOT_FOUND' });
  const format = file[2] ?? 'csv';
  const name = file[2] ? `${term.term}.${format}` : `${term.term}-comparisons.csv`;
  const response = await fetch(`${apiBase(locals.apiUrl)}/exports/tsm/${urn}/${term.academicYear.replace('/', '-')}/${name}`, {
    headers: { cookie: request.headers.get('cookie') ?? '', 'x-forwarded-for': getClientAddress() },
  });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { message?: string };
    error(response.status === 403 ? 403 : 502, { message: body.message ?? 'The download could not be made', code: 'DOWNLOAD_FAILED' });
  }
  return new Response(await response.arrayBuffer(), {
    headers: {
      'content-type': response.headers.get('content-type') ?? 'application/octet-stream',
      'content-disposition': response.headers.get('content-disposition') ?? `attachment; filename="tsm-${urn}.${format}"`,
      'cache-control': 'private, no-store',
    },
  });
};
