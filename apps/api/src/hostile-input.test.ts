import 'reflect-metadata';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from './bootstrap.js';
import { loadConfig } from './config/config.js';
import { Role } from './modules/access/roles.js';
import { addUserAndSignIn, makeDataDir, removeDataDir, sessionHeaders, type TestSession, writeEnrolmentTerms } from './test/fixtures.js';

// Hostile input against the GraphQL API: random and mangled documents, huge bodies, deep nesting,
// alias floods, and injection attempts in every string argument the schema has. Each must get a
// clear error (or a normal answer), never a crash, a hang or an internal error, and afterwards the
// API must still answer the same figures from an intact database.

const LA_QUERY = `query ($academicYear: String, $scope: MetricScope) {
  laOverview(academicYear: $academicYear, scope: $scope) { laCode academicYear enrolments attendanceRate schools { urn name attendanceRate } }
}`;

const INJECTIONS = [
  "' OR '1'='1",
  "'; DROP TABLE users; --",
  '"); DROP TABLE audit_log; --',
  "2024/25' UNION SELECT upn FROM lake_pupils --",
  '{{in_scope:p}}',
  "$1'::text",
  '../../../../etc/passwd',
  "read_csv('/etc/passwd')",
  '\u0000\u0001\u001f',
  '<script>alert(1)</script>',
  '${jndi:ldap://x}',
  'A'.repeat(20_000),
  '🙂'.repeat(500),
  '%00%27',
];

interface Answer {
  status: number;
  body: { data?: unknown; errors?: Array<{ message?: unknown; extensions?: { code?: unknown } }> } | undefined;
  ms: number;
}

describe('hostile input to the GraphQL API', () => {
  let dataDir: string;
  let api: RunningApi;
  let admin: TestSession;

  async function post(body: string, session: TestSession | undefined = admin, contentType = 'application/json'): Promise<Answer> {
    const started = performance.now();
    const response = await fetch(`${api.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...sessionHeaders(session) },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    let parsed: Answer['body'];
    try {
      parsed = JSON.parse(text) as Answer['body'];
    } catch {
      parsed = undefined;
    }
    return { status: response.status, body: parsed, ms: performance.now() - started };
  }

  /** A clear refusal or an answer: JSON, no 5xx, no internal error, every error with a message and no stack. */
  function expectHandled(answer: Answer, what: string): void {
    expect(answer.status, what).toBeLessThan(500);
    expect(answer.body, `${what}: a JSON body`).toBeDefined();
    const errors = answer.body!.errors ?? [];
    if (answer.status >= 400 && !answer.body!.errors) {
      expect(typeof (answer.body as { message?: unknown }).message, `${what}: a message`).toBe('string');
    }
    for (const error of errors) {
      expect(typeof error.message, what).toBe('string');
      expect(error.extensions?.code, what).not.toBe('INTERNAL_SERVER_ERROR');
      expect(JSON.stringify(error), what).not.toMatch(/stacktrace|\n\s+at |duckdb|postgres|QueryFailedError/i);
    }
  }

  /** Refused: an HTTP error or GraphQL errors. */
  function expectRefused(answer: Answer, what: string): void {
    expectHandled(answer, what);
    expect(answer.status >= 400 || (answer.body?.errors?.length ?? 0) > 0, `${what}: refused`).toBe(true);
  }

  beforeAll(async () => {
    dataDir = await makeDataDir();
    await writeEnrolmentTerms(dataDir, [
      { la_code: '332', academic_year: '2024/25', term: 'autumn', urn: 100001, upn: 'A332000000001', scope: 'dfe',
        possible_sessions: 60, approved_educational_activity: 0, authorised_absence: 3, unauthorised_absence: 1 },
      { la_code: '332', academic_year: '2024/25', term: 'autumn', urn: 100002, upn: 'A332000000002', scope: 'dfe',
        possible_sessions: 60, approved_educational_activity: 0, authorised_absence: 0, unauthorised_absence: 0 },
    ]);
    api = await startApi(loadConfig({ ROLLBOOK_DATA_DIR: dataDir, API_PORT: '0', NODE_ENV: 'test' }), { logger: false });
    admin = await addUserAndSignIn(api, { email: 'ada@la.example', role: Role.LA_ADMIN });
  });

  afterAll(async () => {
    await api?.close();
    if (dataDir) await removeDataDir(dataDir);
  });

  it('answers random text and mangled queries with a clear error, never a crash', async () => {
    const valid = [LA_QUERY, '{ academicYears }', '{ me { email role } }', '{ school(urn: 100001) { urn name } }', '{ pupil(upn: "A332000000001") { upn } }'];
    const mangled = fc
      .tuple(fc.constantFrom(...valid), fc.array(fc.tuple(fc.nat(), fc.nat(4), fc.constantFrom('{', '}', '(', ')', '"', '$', ':', '!', '...', '@', '#', '\\', '\u0000', ' ')), { minLength: 1, maxLength: 6 }))
      .map(([query, edits]) => {
        let text = query;
        for (const [at, cut, insert] of edits) {
          const i = at % (text.length + 1);
          text = text.slice(0, i) + insert + text.slice(i + cut);
        }
        return JSON.stringify({ query: text });
      });
    const bodies = fc.oneof(
      mangled,
      fc.string({ maxLength: 200 }).map((query) => JSON.stringify({ query })),
      fc.string({ maxLength: 200 }), // not JSON at all
      fc.jsonValue({ maxDepth: 4 }).map((variables) => JSON.stringify({ query: LA_QUERY, variables })),
      fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
    );
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        expectHandled(await post(body), body.slice(0, 200));
      }),
      { numRuns: 150, seed: 9 },
    );
    expect((await fetch(`${api.baseUrl}/health`)).status).toBe(200);
  }, 60_000);

  it('refuses huge bodies, deep nesting and alias floods quickly, and stays up', async () => {
    const huge = await post(JSON.stringify({ query: `{ academicYears } # ${'x'.repeat(5_000_000)}` }));
    expect(huge.status).toBe(413);
    const deep = await post(JSON.stringify({ query: `{ ${'laOverview { '.repeat(5_000)}laCode${' }'.repeat(5_000)} }` }));
    expectRefused(deep, 'deep nesting');
    const flood = await post(JSON.stringify({ query: `{ ${Array.from({ length: 4_000 }, (_, i) => `a${i}: academicYears`).join(' ')} }` }));
    expectRefused(flood, 'alias flood');
    const fragments = await post(JSON.stringify({ query: `query { ...F0 } ${Array.from({ length: 200 }, (_, i) => `fragment F${i} on Query { academicYears ...F${i + 1} }`).join(' ')} fragment F200 on Query { academicYears }` }));
    expectHandled(fragments, 'fragment chain'); // harmless: spreads on one type add no depth or cost
    const cycle = await post(JSON.stringify({ query: 'query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }' }));
    expectRefused(cycle, 'fragment cycle');
    const batch = await post(JSON.stringify(Array.from({ length: 1_000 }, () => ({ query: LA_QUERY }))));
    expectHandled(batch, 'batch');
    for (const answer of [deep, flood, fragments, cycle, batch]) expect(answer.ms).toBeLessThan(5_000);
    expect((await fetch(`${api.baseUrl}/health`)).status).toBe(200);
  }, 60_000);

  it('takes injection attempts in every string argument of every query and mutation as plain values', async () => {
    const db = api.app.get(DataSource);
    const tables = async () => (await db.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'`))[0].n as number;
    const tablesBefore = await tables();
    const overview = async () => (await post(JSON.stringify({ query: LA_QUERY }))).body?.data;
    const before = await overview();
    expect(before).toMatchObject({ laOverview: { laCode: '332', enrolments: 2 } });

    const schema = (await post(JSON.stringify({ query: INTROSPECTION }))).body?.data as IntrospectionResult;
    const types = new Map(schema.__schema.types.map((t) => [t.name, t]));
    const roots = [['query', schema.__schema.queryType.name], ['mutation', schema.__schema.mutationType?.name]] as const;
    let attempts = 0;
    const failures: string[] = [];
    for (const [operation, rootName] of roots) {
      if (!rootName) continue;
      for (const field of types.get(rootName)!.fields ?? []) {
        const stringArgs = field.args.filter((arg) => carriesStrings(arg.type, types));
        for (const target of stringArgs) {
          for (const payload of INJECTIONS) {
            const variables: Record<string, unknown> = {};
            const declared = field.args.map((arg) => `$${arg.name}: ${typeText(arg.type)}`).join(', ');
            for (const arg of field.args) {
              const value = sample(arg.type, types, arg === target ? payload : undefined);
              if (value !== undefined) variables[arg.name] = value;
            }
            const selection = selectionOf(field.type, types);
            const query = `${operation} ${declared ? `(${declared})` : ''} { ${field.name}${field.args.length ? `(${field.args.map((a) => `${a.name}: $${a.name}`).join(', ')})` : ''} ${selection} }`;
            const answer = await post(JSON.stringify({ query, variables }));
            try {
              expectHandled(answer, `${field.name}(${target.name}: ${payload.slice(0, 40)})`);
            } catch (error) {
              failures.push(`${field.name}(${target.name}: ${JSON.stringify(payload.slice(0, 30))}) → ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
            }
            attempts++;
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(attempts).toBeGreaterThan(INJECTIONS.length * 4);
    expect(await tables()).toBe(tablesBefore);
    expect(await overview()).toEqual(before);
  }, 120_000);
});

// --- a little schema walking, enough to call every field ---------------------------------------

const INTROSPECTION = `{ __schema { queryType { name } mutationType { name } types { name kind
  fields { name args { name type { ...T } } type { ...T } }
  inputFields { name type { ...T } } enumValues { name } } } }
  fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }`;

interface TypeRef {
  kind: string;
  name: string | null;
  ofType: TypeRef | null;
}
interface IntrospectedType {
  name: string;
  kind: string;
  fields: { name: string; args: { name: string; type: TypeRef }[]; type: TypeRef }[] | null;
  inputFields: { name: string; type: TypeRef }[] | null;
  enumValues: { name: string }[] | null;
}
interface IntrospectionResult {
  __schema: { queryType: { name: string }; mutationType: { name: string } | null; types: IntrospectedType[] };
}

function named(type: TypeRef): TypeRef {
  return type.ofType ? named(type.ofType) : type;
}

function typeText(type: TypeRef): string {
  if (type.kind === 'NON_NULL') return `${typeText(type.ofType!)}!`;
  if (type.kind === 'LIST') return `[${typeText(type.ofType!)}]`;
  return type.name!;
}

function carriesStrings(type: TypeRef, types: Map<string, IntrospectedType>): boolean {
  const base = named(type);
  if (base.name === 'String' || base.name === 'ID') return true;
  return base.kind === 'INPUT_OBJECT' && (types.get(base.name!)?.inputFields ?? []).some((f) => carriesStrings(f.type, types));
}

/** A value for an argument: the payload in every string place when given, else a plain one (undefined for optional). */
function sample(type: TypeRef, types: Map<string, IntrospectedType>, payload: string | undefined): unknown {
  const required = type.kind === 'NON_NULL';
  const inner = required ? type.ofType! : type;
  if (!required && payload === undefined) return undefined;
  if (inner.kind === 'LIST') return [sample({ kind: 'NON_NULL', name: null, ofType: inner.ofType }, types, payload)];
  const base = named(inner);
  switch (base.kind) {
    case 'ENUM':
      return types.get(base.name!)!.enumValues![0]!.name;
    case 'INPUT_OBJECT': {
      const value: Record<string, unknown> = {};
      for (const field of types.get(base.name!)!.inputFields ?? []) {
        const v = sample(field.type, types, payload);
        if (v !== undefined) value[field.name] = v;
      }
      return value;
    }
    default:
      switch (base.name) {
        case 'Int':
          return 100001;
        case 'Float':
          return 1;
        case 'Boolean':
          return false;
        case 'DateTime':
          return '2025-01-01T00:00:00Z';
        default:
          return payload ?? 'A332000000001';
      }
  }
}

/** `{ every scalar field }`, one level of objects down; empty for a scalar result. */
function selectionOf(type: TypeRef, types: Map<string, IntrospectedType>, depth = 0): string {
  const base = types.get(named(type).name!)!;
  if (base.kind !== 'OBJECT') return '';
  const parts = (base.fields ?? [])
    .filter((f) => f.args.every((a) => a.type.kind !== 'NON_NULL'))
    .map((f) => {
      const inner = types.get(named(f.type).name!)!;
      if (inner.kind !== 'OBJECT') return f.name;
      return depth < 1 ? `${f.name} ${selectionOf(f.type, types, depth + 1)}` : '';
    })
    .filter((p) => p && !p.endsWith(' '));
  return parts.length ? `{ ${parts.join(' ')} }` : '{ __typename }';
}
