/** The portal's configuration, read once from the environment by `hooks.server.ts`. */
export interface PortalConfig {
  /** The Rollbook GraphQL endpoint, e.g. `http://127.0.0.1:4000/graphql`. */
  apiUrl: URL;
}

export const DEFAULT_API_URL = 'http://127.0.0.1:4000/graphql';

/**
 * Validate the environment into a typed config, or throw one error listing every bad key.
 * (PORT and HOST are read by the adapter-node server itself.)
 */
export function readConfig(env: Record<string, string | undefined>): PortalConfig {
  const problems: string[] = [];
  const raw = env.API_URL?.trim() || DEFAULT_API_URL;
  let apiUrl: URL | undefined;
  try {
    apiUrl = new URL(raw);
    if (apiUrl.protocol !== 'http:' && apiUrl.protocol !== 'https:') {
      problems.push(`API_URL must be an http or https URL (got ${raw})`);
    }
  } catch {
    problems.push(`API_URL is not a URL (got ${raw})`);
  }
  if (problems.length > 0 || !apiUrl) {
    throw new Error(`Invalid portal configuration:\n- ${problems.join('\n- ')}`);
  }
  return { apiUrl };
}
