import { env } from '$env/dynamic/private';
import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { readConfig, type PortalConfig } from '$lib/server/config';
import { createGraphqlClient } from '$lib/server/graphql';

let config: PortalConfig | undefined;

/** Read and validate the configuration once, when the server starts. */
export const init: ServerInit = () => {
  config = readConfig(env);
};

export const handle: Handle = async ({ event, resolve }) => {
  config ??= readConfig(env);
  event.locals.api = createGraphqlClient({
    url: config.apiUrl,
    fetch: event.fetch,
    cookie: event.request.headers.get('cookie'),
  });
  const response = await resolve(event);
  response.headers.set('x-content-type-options', 'nosniff');
  response.headers.set('referrer-policy', 'same-origin');
  return response;
};

/** Unexpected errors: log the route only (never query strings or data), show a generic message. */
export const handleError: HandleServerError = ({ error, event, status }) => {
  console.error(`portal: ${status} on ${event.route.id ?? 'unknown route'}:`, error instanceof Error ? error.message : error);
  return { message: 'Sorry, there is a problem with the service', code: 'UNEXPECTED' };
};
