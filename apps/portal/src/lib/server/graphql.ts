import { error } from '@sveltejs/kit';

/** Why a GraphQL request failed. */
export type GraphqlFailureCode = 'API_UNREACHABLE' | 'API_TIMEOUT' | 'API_HTTP_ERROR' | 'API_BAD_RESPONSE' | 'GRAPHQL_ERRORS';

/** The HTTP status of the portal's error page for each failure: the API is the portal's upstream. */
export function failureStatus(code: GraphqlFailureCode): 502 | 504 {
  switch (code) {
    case 'API_TIMEOUT':
      return 504;
    case 'API_UNREACHABLE':
    case 'API_HTTP_ERROR':
    case 'API_BAD_RESPONSE':
    case 'GRAPHQL_ERRORS':
      return 502;
  }
}

export interface GraphqlFailure {
  code: GraphqlFailureCode;
  /** HTTP status of the API's answer, when there was one. */
  status?: number;
  /** Messages safe to show a signed-in user (the API's own error messages, or ours). */
  messages: string[];
}

export type GraphqlResult<TData> = { ok: true; data: TData } | { ok: false; failure: GraphqlFailure };

export interface GraphqlClientOptions {
  url: URL | string;
  /** SvelteKit's `event.fetch` on the server; any fetch in tests. */
  fetch: typeof globalThis.fetch;
  /** The user's `Cookie` header, forwarded so the API sees the same session. */
  cookie?: string | null;
  /** The session's CSRF token, sent in `x-csrf-token` so the API accepts changes. */
  csrfToken?: string | null;
  /** The browser's address, forwarded in `x-forwarded-for` for the API's audit log. */
  clientAddress?: string | null;
  /** Give up after this long (default 15 s). */
  timeoutMs?: number;
}

export interface GraphqlClient {
  /** Run a query; a failure is a value (for pages that handle it themselves). */
  execute<TData>(query: string, variables?: Record<string, unknown>): Promise<GraphqlResult<TData>>;
  /** Run a query; a failure becomes SvelteKit's error page (502 or 504) with the messages. */
  request<TData>(query: string, variables?: Record<string, unknown>): Promise<TData>;
}

interface GraphqlResponseBody {
  data?: unknown;
  errors?: { message?: unknown; extensions?: { code?: unknown } }[];
}

/** The portal's only way to the API: POST a GraphQL document, forward the user's cookies. */
export function createGraphqlClient(options: GraphqlClientOptions): GraphqlClient {
  const url = String(options.url);
  const timeoutMs = options.timeoutMs ?? 15_000;

  async function execute<TData>(query: string, variables: Record<string, unknown> = {}): Promise<GraphqlResult<TData>> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
    };
    if (options.cookie) headers.cookie = options.cookie;
    if (options.csrfToken) headers['x-csrf-token'] = options.csrfToken;
    if (options.clientAddress) headers['x-forwarded-for'] = options.clientAddress;

    let response: Response;
    try {
      response = await options.fetch(url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (cause) {
      const timedOut = cause instanceof DOMException && cause.name === 'TimeoutError';
      return timedOut
        ? { ok: false, failure: { code: 'API_TIMEOUT', messages: ['The Rollbook API did not answer in time.'] } }
        : { ok: false, failure: { code: 'API_UNREACHABLE', messages: ['The Rollbook API could not be reached.'] } };
    }

    let body: GraphqlResponseBody | undefined;
    try {
      body = (await response.json()) as GraphqlResponseBody;
    } catch {
      body = undefined;
    }

    const messages = (body?.errors ?? [])
      .map((e) => (typeof e.message === 'string' ? e.message : ''))
      .filter((m) => m.length > 0);
    if (messages.length > 0) {
      return { ok: false, failure: { code: 'GRAPHQL_ERRORS', status: response.status, messages } };
    }
    if (!response.ok) {
      return {
        ok: false,
        failure: { code: 'API_HTTP_ERROR', status: response.status, messages: [`The Rollbook API answered with HTTP ${response.status}.`] },
      };
    }
    if (!body || typeof body.data !== 'object' || body.data === null) {
      return { ok: false, failure: { code: 'API_BAD_RESPONSE', status: response.status, messages: ['The Rollbook API sent an answer the portal cannot read.'] } };
    }
    return { ok: true, data: body.data as TData };
  }

  async function request<TData>(query: string, variables?: Record<string, unknown>): Promise<TData> {
    const result = await execute<TData>(query, variables);
    if (result.ok) return result.data;
    error(failureStatus(result.failure.code), {
      message: 'Sorry, there is a problem with the attendance data service',
      code: result.failure.code,
      details: result.failure.messages,
    });
  }

  return { execute, request };
}
