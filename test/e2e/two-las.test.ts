import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS, ROOT, startStack, type Stack } from '../support/stack.js';

// Several LAs in one warehouse (issue 10): the Dudley demo (332) and a Sandwell demo (333) loaded
// into one data folder. The lake and marts partition by LA; a pooled figure read straight from the
// marts (the query docs/scale-out.md gives for a regional pool) is the sum of each LA's own, each
// LA's own matches its export and, for Dudley, its API; and Dudley's users see nothing of Sandwell.
const OTHER = '333';
const YEAR = { from: '2024-08-01', to: '2025-07-31' };

interface Figures {
  la_code: string | null;
  enrolments: number;
  possible_sessions: number;
  overall_absence: number;
  persistent_absentees: number;
}

/** The regional LA overview over the mart contract: each LA's figures and the pool's (la_code null). */
const POOLED_SQL = `
  WITH e AS (
    SELECT la_code, urn, upn, sum(possible_sessions) AS possible, sum(overall_absence) AS absence
    FROM read_parquet($glob, hive_partitioning = true, hive_types = {'la': VARCHAR, 'academic_year': VARCHAR, 'term': VARCHAR})
    WHERE academic_year = '2024-25' AND scope = 'dfe'
    GROUP BY la_code, urn, upn
    HAVING sum(possible_sessions) > 0 AND sum(overall_absence) <= sum(possible_sessions)
  )
  SELECT la_code, CAST(count(*) AS INTEGER) AS enrolments, CAST(sum(possible) AS DOUBLE) AS possible_sessions,
         CAST(sum(absence) AS DOUBLE) AS overall_absence,
         CAST(count(*) FILTER (WHERE absence * 10 >= possible) AS INTEGER) AS persistent_absentees
  FROM e GROUP BY GROUPING SETS ((la_code), ()) ORDER BY la_code NULLS LAST`;

async function duckAll<T>(sql: string, params: Record<string, string> = {}): Promise<T[]> {
  const instance = await DuckDBInstance.create(':memory:');
  try {
    const connection = await instance.connect();
    try {
      return (await connection.runAndReadAll(sql, params)).getRowObjectsJson() as T[];
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

describe('two demo LAs in one warehouse', () => {
  let stack: Stack;
  let figures: Figures[];
  let otherUrns: number[];
  let otherUpns: string[];

  beforeAll(async () => {
    stack = await startStack({ data: { kind: 'demo', pupils: 800, moreLas: [Number(OTHER)] }, portal: false });
    const marts = path.join(stack.dataDir, 'marts', 'fct_enrolment_term', '**', '*.parquet');
    figures = (await duckAll<Record<string, unknown>>(POOLED_SQL, { glob: marts })).map((r) => ({
      la_code: r.la_code as string | null,
      enrolments: Number(r.enrolments),
      possible_sessions: Number(r.possible_sessions),
      overall_absence: Number(r.overall_absence),
      persistent_absentees: Number(r.persistent_absentees),
    }));
    const other = await duckAll<{ urn: number; upn: string }>(
      'SELECT DISTINCT urn, upn FROM read_parquet($glob, hive_partitioning = false) WHERE la_code = $la ORDER BY urn, upn',
      { glob: marts, la: OTHER },
    );
    otherUrns = [...new Set(other.map((r) => Number(r.urn)))];
    otherUpns = other.map((r) => r.upn);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('partitions the lake and the marts by LA', () => {
    for (const folder of ['lake/marks', 'lake/pupils', 'marts/fct_enrolment_term']) {
      expect(readdirSync(path.join(stack.dataDir, folder)).sort(), folder).toEqual(expect.arrayContaining(['la=332', `la=${OTHER}`]));
    }
    expect(otherUrns.length).toBeGreaterThan(10);
  });

  it('pools the two LAs: the pool is the sum of each LA, and each LA matches its own export', () => {
    const [dudley, other, pool] = figures;
    expect([dudley!.la_code, other!.la_code, pool!.la_code]).toEqual(['332', OTHER, null]);
    for (const key of ['enrolments', 'possible_sessions', 'overall_absence', 'persistent_absentees'] as const) {
      expect(pool![key], key).toBe(dudley![key] + other![key]);
    }
    // Sessions are summed, then divided (DfE method): the pooled rate lies between the two LAs'.
    const rate = (f: Figures) => f.overall_absence / f.possible_sessions;
    expect(rate(pool!)).toBeGreaterThanOrEqual(Math.min(rate(dudley!), rate(other!)));
    expect(rate(pool!)).toBeLessThanOrEqual(Math.max(rate(dudley!), rate(other!)));

    const out = path.join(stack.dataDir, 'la-summary.parquet');
    execFileSync(process.execPath, [path.join(ROOT, 'packages/etl/bin/rollbook.mjs'), 'export', 'la-summary', '--from', YEAR.from, '--to', YEAR.to,
      '--scope', 'dfe', '--out', out, '--data-dir', stack.dataDir], { env: { ...process.env, TZ: 'UTC' }, stdio: 'pipe' });
    return duckAll<Record<string, unknown>>(
      `SELECT old_la_code, CAST(enrolments AS INTEGER) AS enrolments, CAST(possible_sessions AS DOUBLE) AS possible
       FROM read_parquet($out) WHERE school_type = 'Total' ORDER BY old_la_code`,
      { out },
    ).then((rows) => {
      expect(rows.map((r) => [String(r.old_la_code), Number(r.enrolments), Number(r.possible)])).toEqual([
        ['332', dudley!.enrolments, dudley!.possible_sessions],
        [OTHER, other!.enrolments, other!.possible_sessions],
      ]);
    });
  });

  it("gives Dudley's officer Dudley's figures only, and refuses Sandwell's", async () => {
    const { laOverview } = await stack.graphql<{ laOverview: { laCode: string; enrolments: number; schools: { urn: number }[] } }>(
      '{ laOverview(scope: DFE) { laCode enrolments schools { urn } } }',
    );
    expect(laOverview.laCode).toBe('332');
    expect(laOverview.enrolments).toBe(figures[0]!.enrolments);
    expect(laOverview.schools.filter((s) => otherUrns.includes(s.urn))).toEqual([]);
    await expect(stack.graphql(`{ laOverview(laCode: "${OTHER}") { enrolments } }`)).rejects.toThrow(/own local authority/);
  });

  it("never shows a Dudley user a Sandwell pupil, by school, by UPN or by download", async () => {
    for (const email of [DEMO_USERS.la_officer, DEMO_USERS.virtual_school]) {
      const token = await stack.signIn(email);
      const ask = async (query: string, variables: Record<string, unknown>) => {
        const response = await fetch(stack.apiUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query, variables }),
        });
        return JSON.stringify(await response.json());
      };
      for (const urn of otherUrns.slice(0, 2)) {
        const body = await ask('query ($urn: Int!) { schoolPupils(urn: $urn) { pupils { upn } } }', { urn });
        expect(otherUpns.some((upn) => body.includes(upn)), `${email} school ${urn}: ${body.slice(0, 200)}`).toBe(false);
        const csv = await fetch(`${stack.apiUrl.replace('/graphql', '')}/exports/schools/${urn}/pupils.csv`, {
          headers: { authorization: `Bearer ${token}` },
        });
        const text = await csv.text();
        expect(otherUpns.some((upn) => text.includes(upn)), `${email} CSV ${urn}`).toBe(false);
      }
      for (const upn of otherUpns.slice(0, 3)) {
        const body = await ask('query ($upn: String!) { pupil(upn: $upn) { upn } }', { upn });
        expect(body.includes(upn), `${email} pupil ${upn}: ${body.slice(0, 200)}`).toBe(false);
      }
    }
  });
});
