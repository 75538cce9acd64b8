import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { apiBase } from '$lib/server/session';
import { parseUrn } from '$lib/school-pupils';
import { parseTermSegment } from '$lib/tsm';

/** `pack.pdf`, `pack.xlsx`, `pack.csv`: the API's export of the pack, through the user's session. */
export const GET: RequestHandler = async ({ params, fetch, locals, request, getClientAddress }) => {
  const urn = parseUrn(params.urn);
  const term = parseTermSegment(params.term);
  const format = /^pack\.(pdf|xlsx|csv)$/.exec(params.file)?.[1];
  if (urn === null || term === null || !format) error(404, { message: 'There is no such download', code: 'NOT_FOUND' });
  const response = await fetch(`${apiBase(locals.apiUrl)}/exports/tsm/${urn}/${term.academicYear.replace('/', '-')}/${term.term}.${format}`, {
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
