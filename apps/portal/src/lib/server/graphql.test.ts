import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isHttpError } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphqlClient } from './graphql.js';

// A real HTTP server standing in for the API's transport: it records what the client sent and
// answers with whatever GraphQL-over-HTTP reply the test names in the query text.
let server: Server;
let url: string;
let lastRequest: { headers: IncomingMessage['headers']; body: unknown } | undefined;

function reply(res: ServerResponse, status: number, body: string) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(body);
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      const body = JSON.parse(raw) as { query: string };
      lastRequest = { headers: req.headers, body };
      if (body.query.includes('ok')) return reply(res, 200, JSON.stringify({ data: { health: 'ok' } }));
      if (body.query.includes('graphqlError')) {
        return reply(res, 200, JSON.stringify({ data: null, errors: [{ message: 'Academic year 2030/31 is not loaded' }] }));
      }
      if (body.query.includes('http500')) return reply(res, 500, 'Internal Server Error');
      if (body.query.includes('slow')) return void setTimeout(() => reply(res, 200, '{"data":{}}'), 500);
      return reply(res, 200, 'not json');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('createGraphqlClient', () => {
  it('posts the query and variables and forwards the user\'s cookies', async () => {
    const client = createGraphqlClient({ url, fetch, cookie: 'rollbook_session=abc' });
    await expect(client.request('query ok { health }', { a: 1 })).resolves.toEqual({ health: 'ok' });
    expect(lastRequest?.headers.cookie).toBe('rollbook_session=abc');
    expect(lastRequest?.headers['content-type']).toBe('application/json');
    expect(lastRequest?.body).toEqual({ query: 'query ok { health }', variables: { a: 1 } });
  });

  it('returns GraphQL errors as values with the API\'s messages', async () => {
    const client = createGraphqlClient({ url, fetch });
    await expect(client.execute('query graphqlError { x }')).resolves.toEqual({
      ok: false,
      failure: { code: 'GRAPHQL_ERRORS', status: 200, messages: ['Academic year 2030/31 is not loaded'] },
    });
    expect(lastRequest?.headers.cookie).toBeUndefined();
  });

  it('turns each kind of failure into an error page with a code', async () => {
    const client = createGraphqlClient({ url, fetch, timeoutMs: 100 });
    const cases = [
      ['query graphqlError { x }', 502, 'GRAPHQL_ERRORS'],
      ['query http500 { x }', 502, 'API_HTTP_ERROR'],
      ['query garbage { x }', 502, 'API_BAD_RESPONSE'],
      ['query slow { x }', 504, 'API_TIMEOUT'],
    ] as const;
    for (const [query, status, code] of cases) {
      const thrown = await client.request(query).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isHttpError(thrown) && thrown.status, query).toBe(status);
      expect(isHttpError(thrown) && thrown.body.code, query).toBe(code);
    }
  });

  it('reports an API that is not listening', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const client = createGraphqlClient({ url: `http://127.0.0.1:${port}/graphql`, fetch });
    await expect(client.execute('{ health }')).resolves.toMatchObject({ ok: false, failure: { code: 'API_UNREACHABLE' } });
  });
});
