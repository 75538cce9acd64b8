import path from 'node:path';
import { packageRoot } from '../common/paths.js';
import { isRole, type Role } from '../modules/access/roles.js';

export type NodeEnv = 'development' | 'production' | 'test';

export type DatabaseConfig =
  | { kind: 'embedded'; /** fixed port from ROLLBOOK_PG_PORT; otherwise 5433 or a free one */ port?: number }
  | { kind: 'server'; url: string };

/** Sign-in with an OpenID Connect provider (Microsoft Entra ID and the like). */
export interface OidcConfig {
  /** Issuer URL; https, or http on a loopback host (tests). */
  issuer: URL;
  clientId: string;
  clientSecret: string | undefined;
  /** Space-separated scopes asked for; `openid` is always included. */
  scopes: string;
  /** Claim holding the user's roles or groups (a string or an array of strings). */
  roleClaim: string;
  /** Claim value → Rollbook role; the first listed value the user holds wins. */
  roleMap: ReadonlyArray<{ claimValue: string; role: Role }>;
  /** The LA every user of this provider belongs to. */
  laCode: string;
  /** Claims carrying a school user's URN, a social worker's id and a team manager's team. */
  urnClaim: string;
  workerIdClaim: string;
  teamClaim: string;
  /** Shown on the sign-in button, e.g. "Dudley staff account". */
  displayName: string;
}

export interface AuthConfig {
  /** A session ends this long after sign-in, whatever happens. */
  sessionTtlMinutes: number;
  /** …or after this long without a request. */
  sessionIdleMinutes: number;
  /** `Secure` on the session cookie the API sets (everywhere but development). */
  secureCookies: boolean;
  /** Seed one demo user per role: `auto` when a demo LA is in the data folder and no user exists. */
  demoUsers: 'auto' | 'on' | 'off';
  oidc: OidcConfig | undefined;
}

/**
 * Email through an SMTP server, off unless `SMTP_URL` or `SMTP_HOST` is set: digests of new
 * social care concerns (counts and a link only — never a child's name).
 */
export interface MailConfig {
  /** An `smtp://` / `smtps://` URL, or a host and port with optional credentials. */
  transport: { url: string } | { host: string; port: number; secure: boolean; user: string | undefined; password: string | undefined };
  /** The sender, e.g. `Rollbook <rollbook@la.example.gov.uk>`. */
  from: string;
  /** The portal's address users type; emails link to pages under it. */
  portalUrl: string;
  /** Where the virtual school's digest goes: one address for every LA (`laCode` null) or per LA. Unset: the LA's virtual school users. */
  virtualSchoolTo: ReadonlyArray<{ laCode: string | null; address: string }>;
}

/** The API's whole configuration, read from the environment once at start. */
export interface ApiConfig {
  /** Absolute path of the Rollbook data folder (lake, marts, postgres, …). */
  dataDir: string;
  database: DatabaseConfig;
  /** Connections the API's PostgreSQL pool opens at most (`DATABASE_POOL_SIZE`). */
  databasePoolSize: number;
  host: string;
  port: number;
  nodeEnv: NodeEnv;
  auth: AuthConfig;
  /** Alert emails; undefined when no SMTP server is configured (the default). */
  mail: MailConfig | undefined;
}

export interface ConfigIssue {
  key: string;
  message: string;
}

export class ConfigError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(`Invalid configuration: ${issues.map((i) => `${i.key} ${i.message}`).join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** The repository root's `data/` folder, found from this package's own location. */
export const defaultDataDir = path.resolve(packageRoot, '../../data');

const nodeEnvs: readonly NodeEnv[] = ['development', 'production', 'test'];

function parsePort(raw: string, min: number): number | undefined {
  if (!/^\d{1,5}$/.test(raw)) return undefined;
  const value = Number(raw);
  return value >= min && value <= 65_535 ? value : undefined;
}

/**
 * Validates the environment into an {@link ApiConfig}; throws {@link ConfigError} listing every
 * bad key at once. Blank values count as unset.
 */
export function loadConfig(env: Record<string, string | undefined>): ApiConfig {
  const issues: ConfigIssue[] = [];
  const read = (key: string): string | undefined => {
    const value = env[key]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };

  const rawDataDir = read('ROLLBOOK_DATA_DIR');
  const dataDir = rawDataDir === undefined ? defaultDataDir : path.resolve(rawDataDir);
  if (!path.isAbsolute(dataDir)) {
    issues.push({ key: 'ROLLBOOK_DATA_DIR', message: 'must resolve to an absolute path' });
  }

  let database: DatabaseConfig = { kind: 'embedded' };
  const rawUrl = read('DATABASE_URL');
  const rawPgPort = read('ROLLBOOK_PG_PORT');
  if (rawUrl !== undefined) {
    let protocol = '';
    try {
      protocol = new URL(rawUrl).protocol;
    } catch {
      // reported below
    }
    if (protocol === 'postgres:' || protocol === 'postgresql:') database = { kind: 'server', url: rawUrl };
    else issues.push({ key: 'DATABASE_URL', message: 'must be a postgres:// or postgresql:// URL' });
  } else if (rawPgPort !== undefined) {
    const port = parsePort(rawPgPort, 1);
    if (port === undefined) issues.push({ key: 'ROLLBOOK_PG_PORT', message: 'must be a port number (1–65535)' });
    else database = { kind: 'embedded', port };
  }

  // A connection stays taken until its answer is read on the API's one thread, which under load
  // waits its turn: 10 (pg's default) made audited pages queue for the pool (docs/benchmarks.md).
  const rawPoolSize = read('DATABASE_POOL_SIZE');
  let databasePoolSize = 30;
  if (rawPoolSize !== undefined) {
    if (/^\d{1,3}$/.test(rawPoolSize) && Number(rawPoolSize) >= 2 && Number(rawPoolSize) <= 200) databasePoolSize = Number(rawPoolSize);
    else issues.push({ key: 'DATABASE_POOL_SIZE', message: 'must be a whole number from 2 to 200' });
  }

  const host = read('API_HOST') ?? '127.0.0.1';

  const rawPort = read('API_PORT');
  let port = 4000;
  if (rawPort !== undefined) {
    const parsed = parsePort(rawPort, 0);
    if (parsed === undefined) issues.push({ key: 'API_PORT', message: 'must be a port number (0–65535)' });
    else port = parsed;
  }

  const rawNodeEnv = read('NODE_ENV') ?? 'development';
  if (!nodeEnvs.includes(rawNodeEnv as NodeEnv)) {
    issues.push({ key: 'NODE_ENV', message: `must be one of ${nodeEnvs.join(', ')}` });
  }

  const minutes = (key: string, fallback: number): number => {
    const raw = read(key);
    if (raw === undefined) return fallback;
    if (/^\d{1,6}$/.test(raw) && Number(raw) > 0) return Number(raw);
    issues.push({ key, message: 'must be a whole number of minutes above 0' });
    return fallback;
  };
  const sessionTtlMinutes = minutes('SESSION_TTL_MINUTES', 12 * 60);
  const sessionIdleMinutes = minutes('SESSION_IDLE_MINUTES', 30);

  const rawDemoUsers = read('ROLLBOOK_DEMO_USERS') ?? 'auto';
  if (!['auto', 'on', 'off'].includes(rawDemoUsers)) {
    issues.push({ key: 'ROLLBOOK_DEMO_USERS', message: 'must be auto, on or off' });
  }

  const oidc = readOidc(read, issues);
  const mail = readMail(read, issues);

  if (issues.length > 0) throw new ConfigError(issues);
  const nodeEnv = rawNodeEnv as NodeEnv;
  return {
    dataDir,
    database,
    databasePoolSize,
    host,
    port,
    nodeEnv,
    auth: {
      sessionTtlMinutes,
      sessionIdleMinutes,
      secureCookies: nodeEnv !== 'development',
      demoUsers: rawDemoUsers as AuthConfig['demoUsers'],
      oidc,
    },
    mail,
  };
}

const EMAIL = /^[^\s@<>,]+@[^\s@<>,]+\.[^\s@<>,]+$/;

/** SMTP is on when `SMTP_URL` or `SMTP_HOST` is set; then `SMTP_FROM` and `SMTP_PORTAL_URL` are needed. */
function readMail(read: (key: string) => string | undefined, issues: ConfigIssue[]): MailConfig | undefined {
  const url = read('SMTP_URL');
  const host = read('SMTP_HOST');
  if (url === undefined && host === undefined) return undefined;
  let transport: MailConfig['transport'];
  if (url !== undefined) {
    let protocol = '';
    try {
      protocol = new URL(url).protocol;
    } catch {
      // reported below
    }
    if (protocol !== 'smtp:' && protocol !== 'smtps:') issues.push({ key: 'SMTP_URL', message: 'must be an smtp:// or smtps:// URL' });
    if (host !== undefined) issues.push({ key: 'SMTP_HOST', message: 'must not be set with SMTP_URL (use one or the other)' });
    transport = { url };
  } else {
    const rawPort = read('SMTP_PORT') ?? '587';
    const port = parsePort(rawPort, 1);
    if (port === undefined) issues.push({ key: 'SMTP_PORT', message: 'must be a port number (1–65535)' });
    const rawSecure = read('SMTP_SECURE') ?? (port === 465 ? 'true' : 'false');
    if (!['true', 'false'].includes(rawSecure)) issues.push({ key: 'SMTP_SECURE', message: 'must be true or false' });
    const user = read('SMTP_USER');
    const password = read('SMTP_PASSWORD');
    if ((user === undefined) !== (password === undefined)) issues.push({ key: 'SMTP_USER', message: 'and SMTP_PASSWORD are set together or not at all' });
    transport = { host: host!, port: port ?? 587, secure: rawSecure === 'true', user, password };
  }
  const from = read('SMTP_FROM');
  const address = from?.match(/<([^>]+)>\s*$/)?.[1] ?? from;
  if (from === undefined || !EMAIL.test(address ?? '')) {
    issues.push({ key: 'SMTP_FROM', message: 'must be the sender address, e.g. Rollbook <rollbook@la.example.gov.uk>' });
  }
  const portalUrl = read('SMTP_PORTAL_URL');
  let portalOk = false;
  try {
    portalOk = portalUrl !== undefined && ['http:', 'https:'].includes(new URL(portalUrl).protocol);
  } catch {
    // reported below
  }
  if (!portalOk) issues.push({ key: 'SMTP_PORTAL_URL', message: 'must be the portal\'s http(s):// address, for the link in emails' });
  const virtualSchoolTo: Array<{ laCode: string | null; address: string }> = [];
  for (const entry of (read('SMTP_VIRTUAL_SCHOOL_TO') ?? '').split(',').map((e) => e.trim()).filter(Boolean)) {
    const m = entry.match(/^(?:(\d{3})=)?(.+)$/)!;
    if (!EMAIL.test(m[2]!)) issues.push({ key: 'SMTP_VIRTUAL_SCHOOL_TO', message: `"${entry.slice(0, 80)}" is not an address or LA=address` });
    else virtualSchoolTo.push({ laCode: m[1] ?? null, address: m[2]! });
  }
  return { transport, from: from ?? '', portalUrl: (portalUrl ?? '').replace(/\/+$/, ''), virtualSchoolTo };
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** OIDC is on when `OIDC_ISSUER` is set; then the client id, role map and LA code are needed. */
function readOidc(read: (key: string) => string | undefined, issues: ConfigIssue[]): OidcConfig | undefined {
  const rawIssuer = read('OIDC_ISSUER');
  if (rawIssuer === undefined) return undefined;
  let issuer: URL | undefined;
  try {
    issuer = new URL(rawIssuer);
  } catch {
    // reported below
  }
  if (!issuer || !(issuer.protocol === 'https:' || (issuer.protocol === 'http:' && LOOPBACK.has(issuer.hostname)))) {
    issues.push({ key: 'OIDC_ISSUER', message: 'must be an https:// URL (http:// only on a loopback host)' });
  }
  const clientId = read('OIDC_CLIENT_ID');
  if (clientId === undefined) issues.push({ key: 'OIDC_CLIENT_ID', message: 'is needed when OIDC_ISSUER is set' });
  const laCode = read('OIDC_LA_CODE');
  if (laCode === undefined || !/^\d{3}$/.test(laCode)) {
    issues.push({ key: 'OIDC_LA_CODE', message: 'must be the three-digit LA number of the users who sign in (e.g. 332)' });
  }
  const roleMap: Array<{ claimValue: string; role: Role }> = [];
  for (const pair of (read('OIDC_ROLE_MAP') ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    const at = pair.lastIndexOf('=');
    const claimValue = pair.slice(0, at).trim();
    const role = pair.slice(at + 1).trim();
    if (at <= 0 || !isRole(role)) {
      issues.push({ key: 'OIDC_ROLE_MAP', message: `"${pair.slice(0, 80)}" is not claim-value=role with a known role` });
    } else {
      roleMap.push({ claimValue, role });
    }
  }
  if (roleMap.length === 0) {
    issues.push({ key: 'OIDC_ROLE_MAP', message: 'needs at least one claim-value=role pair, e.g. Rollbook.Officer=la_officer' });
  }
  return {
    issuer: issuer ?? new URL('https://invalid.example'),
    clientId: clientId ?? '',
    clientSecret: read('OIDC_CLIENT_SECRET'),
    scopes: ['openid', ...(read('OIDC_SCOPES') ?? 'email profile').split(/\s+/).filter((s) => s && s !== 'openid')].join(' '),
    roleClaim: read('OIDC_ROLE_CLAIM') ?? 'roles',
    roleMap,
    laCode: laCode ?? '',
    urnClaim: read('OIDC_URN_CLAIM') ?? 'rollbook_urn',
    workerIdClaim: read('OIDC_WORKER_ID_CLAIM') ?? 'rollbook_worker_id',
    teamClaim: read('OIDC_TEAM_CLAIM') ?? 'rollbook_team',
    displayName: read('OIDC_DISPLAY_NAME') ?? 'your organisation account',
  };
}
