import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance, LIST, VARCHAR, listValue } from '@duckdb/node-api';
import { isPersistentAbsentee, isSevereAbsentee, ratePct, summariseMarks, type SessionCounts } from '@rollbook/metrics';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { signInThroughPortal } from '../support/sign-in.js';
import { DEMO_USERS, ROOT, startStack, type Stack } from '../support/stack.js';

// The regional user of issue 10: two demo LAs (Dudley 332, Sandwell 333) in one warehouse, with
// DfE's published statistics. The demo seeds a regional user over both LAs; their pooled figures
// must be the figures of both LAs' marks counted together, by the metrics package's TypeScript
// reference (not the SQL the API runs), and the /region page must show them.
const OTHER = '333';
const REGIONAL = 'regional@demo-la.example';

interface Figures {
  suppressed: boolean;
  enrolments: number | null;
  possibleSessions: number | null;
  attendanceRate: number | null;
  overallAbsenceRate: number | null;
  authorisedAbsenceRate: number | null;
  unauthorisedAbsenceRate: number | null;
  persistentAbsenceRate: number | null;
  severeAbsenceRate: number | null;
  persistentAbsentees: number | null;
  severeAbsentees: number | null;
}
interface Region extends Figures {
  academicYear: string;
  laCodes: string[];
  las: Array<Figures & { laCode: string; laName: string | null; loaded: boolean }>;
  publishedAvailable: boolean;
  published: Array<{ level: string; areaName: string; overallAbsenceRate: number | null; persistentAbsenceRate: number | null }>;
}

const FIGURES = `suppressed enrolments possibleSessions attendanceRate overallAbsenceRate authorisedAbsenceRate unauthorisedAbsenceRate
  persistentAbsenceRate severeAbsenceRate persistentAbsentees severeAbsentees`;
const REGION = `query ($scope: MetricScope) { regionOverview(scope: $scope) { academicYear laCodes ${FIGURES}
  las { laCode laName loaded ${FIGURES} } publishedAvailable published { level areaName overallAbsenceRate persistentAbsenceRate } } }`;

/** Every enrolment's marks of the year counted by the TypeScript reference, then summed (sum, then divide). */
async function figuresFromMarks(dataDir: string, laCodes: readonly string[]): Promise<Figures> {
  const instance = await DuckDBInstance.create(':memory:');
  const enrolments = new Map<string, Array<{ date: string; mark: string }>>();
  try {
    const connection = await instance.connect();
    try {
      const reader = await connection.runAndReadAll(
        `SELECT CAST(urn AS VARCHAR) || '|' || upn AS enrolment, strftime(date, '%Y-%m-%d') AS date, mark
         FROM read_parquet($glob, hive_partitioning = true, hive_types = {'la': VARCHAR, 'academic_year': VARCHAR, 'term': VARCHAR, 'urn': INTEGER})
         WHERE academic_year = '2024-25' AND la IN (SELECT unnest($las))`,
        { glob: path.join(dataDir, 'lake', 'marks', '**', '*.parquet'), las: listValue([...laCodes]) },
        { las: LIST(VARCHAR) },
      );
      for (const [enrolment, date, mark] of reader.getRows() as Array<[string, string, string]>) {
        let marks = enrolments.get(enrolment);
        if (!marks) enrolments.set(enrolment, (marks = []));
        marks.push({ date, mark });
      }
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
  // As the DfE: enrolments with no possible sessions (or impossible totals) are left out.
  const counted: SessionCounts[] = [...enrolments.values()]
    .map((marks) => summariseMarks(marks))
    .filter((s) => s.possibleSessions > 0 && s.overallAbsence <= s.possibleSessions);
  const sum = (key: keyof SessionCounts) => counted.reduce((total, s) => total + s[key], 0);
  const persistent = counted.filter(isPersistentAbsentee).length;
  const severe = counted.filter(isSevereAbsentee).length;
  return {
    suppressed: false,
    enrolments: counted.length,
    possibleSessions: sum('possibleSessions'),
    attendanceRate: ratePct(sum('presentSessions') + sum('approvedEducationalActivity'), sum('possibleSessions')),
    overallAbsenceRate: ratePct(sum('overallAbsence'), sum('possibleSessions')),
    authorisedAbsenceRate: ratePct(sum('authorisedAbsence'), sum('possibleSessions')),
    unauthorisedAbsenceRate: ratePct(sum('unauthorisedAbsence'), sum('possibleSessions')),
    persistentAbsenceRate: ratePct(persistent, counted.length),
    severeAbsenceRate: ratePct(severe, counted.length),
    persistentAbsentees: persistent,
    severeAbsentees: severe,
  };
}

function expectSameFigures(actual: Figures, expected: Figures, label: string): void {
  for (const key of ['enrolments', 'possibleSessions', 'persistentAbsentees', 'severeAbsentees'] as const) {
    expect(actual[key], `${label} ${key}`).toBe(expected[key]);
  }
  for (const key of ['attendanceRate', 'overallAbsenceRate', 'authorisedAbsenceRate', 'unauthorisedAbsenceRate', 'persistentAbsenceRate', 'severeAbsenceRate'] as const) {
    expect(actual[key], `${label} ${key}`).toBeCloseTo(expected[key]!, 10);
  }
}

/** `94.3%` → 94.3; `12,345` → 12345. */
function number(text: string | null): number {
  const value = Number((text ?? '').replace(/[,%]/g, '').trim());
  if (!Number.isFinite(value)) throw new Error(`Not a number on the page: ${JSON.stringify(text)}`);
  return value;
}

describe('a regional user over two demo LAs', () => {
  let stack: Stack;
  let token: string;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  const ask = async <T>(query: string, variables: Record<string, unknown> = {}, bearer = token) => {
    const response = await fetch(stack.apiUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data?: T; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
  };

  beforeAll(async () => {
    stack = await startStack({ data: { kind: 'demo', pupils: 600, moreLas: [Number(OTHER)], published: true } });
    token = await stack.signIn(REGIONAL);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('pools exactly the figures of both LAs’ marks counted together, and gives each LA its own', async () => {
    const { data, errors } = await ask<{ regionOverview: Region }>(REGION, { scope: 'OPERATIONAL' });
    expect(errors).toBeUndefined();
    const region = data!.regionOverview;
    expect(region.laCodes).toEqual(['332', OTHER]);
    expect(region.suppressed).toBe(false);
    expectSameFigures(region, await figuresFromMarks(stack.dataDir, ['332', OTHER]), 'pool');
    for (const la of region.las) expectSameFigures(la, await figuresFromMarks(stack.dataDir, [la.laCode]), `LA ${la.laCode}`);
    // Summed, then divided: the pool's rate is not the mean of the two LAs' rates.
    const [a, b] = region.las;
    const mean = (a!.overallAbsenceRate! + b!.overallAbsenceRate!) / 2;
    expect(Math.abs(region.overallAbsenceRate! - mean)).toBeGreaterThan(1e-9);
  });

  it("gives the DfE-scope pool as the sum of the LAs, each LA as its own officer sees it, and England and the region beside them", async () => {
    const { data } = await ask<{ regionOverview: Region }>(REGION, { scope: 'DFE' });
    const region = data!.regionOverview;
    expect(region.enrolments).toBe(region.las.reduce((n, la) => n + la.enrolments!, 0));
    expect(region.possibleSessions).toBe(region.las.reduce((n, la) => n + la.possibleSessions!, 0));
    const officer = await stack.graphql<{ laOverview: Figures }>(`{ laOverview(scope: DFE) { ${FIGURES} } }`);
    expect(region.las[0]).toMatchObject({ laCode: '332', laName: 'Dudley', enrolments: officer.laOverview.enrolments, overallAbsenceRate: officer.laOverview.overallAbsenceRate });
    expect(region.las[1]).toMatchObject({ laCode: OTHER, laName: 'Sandwell', loaded: true });
    expect(region.publishedAvailable).toBe(true);
    expect(region.published.map((p) => [p.level, p.areaName])).toEqual([['region', 'West Midlands'], ['england', 'England']]);
    for (const p of region.published) expect(p.overallAbsenceRate).toBeGreaterThan(0);
  });

  it("opens each of its LAs' overviews with small numbers withheld, and refuses any other LA and every pupil", async () => {
    const other = await ask<{ laOverview: { laCode: string; enrolments: number } }>(`{ laOverview(laCode: "${OTHER}", scope: DFE) { laCode enrolments } }`);
    expect(other.data!.laOverview).toEqual({ laCode: OTHER, enrolments: (await ask<{ regionOverview: Region }>(REGION, { scope: 'DFE' })).data!.regionOverview.las[1]!.enrolments });
    const outside = await ask('{ laOverview(laCode: "334") { laCode } }');
    expect(outside.errors?.[0]?.extensions).toEqual({ code: 'FORBIDDEN', reason: 'OUT_OF_SCOPE' });
    const pupils = await ask('{ laOverview { schools { urn } } }');
    const urn = (pupils.data as { laOverview: { schools: Array<{ urn: number }> } }).laOverview.schools[0]!.urn;
    const list = await ask(`{ schoolPupils(urn: ${urn}) { urn } }`);
    expect(list.errors?.[0]?.extensions).toEqual({ code: 'FORBIDDEN', reason: 'ROLE_NOT_PERMITTED' });
    // A school page of each LA in the partnership (its figures, no pupils).
    const partnerSchools = await ask<{ laOverview: { schools: Array<{ urn: number }> } }>(`{ laOverview(laCode: "${OTHER}") { schools { urn } } }`);
    for (const school of [urn, partnerSchools.data!.laOverview.schools[0]!.urn]) {
      const page = await ask<{ schoolBenchmarks: { urn: number } | null }>(`{ schoolBenchmarks(urn: ${school}) { urn } }`);
      expect(page, `school page ${school}`).toEqual({ data: { schoolBenchmarks: { urn: school } } });
    }
    // And an LA user is refused the regional overview.
    const officerToken = await stack.signIn(DEMO_USERS.la_officer);
    expect((await ask('{ regionOverview { enrolments } }', {}, officerToken)).errors?.[0]?.extensions).toEqual({ code: 'FORBIDDEN', reason: 'ROLE_NOT_PERMITTED' });
  });

  it('shows the pool and each LA on /region, linked from the menu', async () => {
    const { data } = await ask<{ regionOverview: Region }>(REGION, { scope: 'DFE' });
    const region = data!.regionOverview;
    await signInThroughPortal(page, stack.portalUrl!, REGIONAL, '/');
    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Regional overview' }).click();
    await page.waitForURL((url) => url.pathname === '/region');
    expect(await page.locator('h1').textContent()).toBe(`Regional overview, ${region.academicYear}`);
    expect(await page.getByTestId('partnership').textContent()).toBe('Dudley and Sandwell');
    expect(await page.getByTestId('signed-in-as').textContent()).toContain('Regional partnership analyst');
    expect(number(await page.getByTestId('card-enrolments-value').textContent())).toBe(region.enrolments);
    expect(number(await page.getByTestId('card-overall-absence-value').textContent())).toBeCloseTo(region.overallAbsenceRate!, 1);
    expect(number(await page.getByTestId('card-persistent-absence-value').textContent())).toBeCloseTo(region.persistentAbsenceRate!, 1);
    const rows = page.getByTestId('la-row');
    expect(await rows.count()).toBe(2);
    for (const la of region.las) {
      const row = page.locator(`[data-testid="la-row"][data-la-code="${la.laCode}"]`);
      expect(await row.locator('th').textContent()).toBe(`${la.laName} (${la.laCode})`);
      expect(number(await row.locator('[data-field="enrolments"]').textContent())).toBe(la.enrolments);
      expect(number(await row.locator('[data-field="overallAbsenceRate"]').textContent())).toBeCloseTo(la.overallAbsenceRate!, 1);
    }
    expect(number(await page.getByTestId('pool-row').locator('[data-field="enrolments"]').textContent())).toBe(region.enrolments);
    expect(await page.getByTestId('published-row').locator('th').allTextContents()).toEqual(['West Midlands', 'England']);
    expect(await page.getByTestId('scope-statement').textContent()).toMatch(/^DfE statistics scope, academic year \d{4}\/\d{2}, 2 local authorities pooled\.$/);
    expect(await page.locator('.govuk-hint').first().textContent()).toMatch(/^Figures produced on \d{1,2} [A-Z][a-z]{2} \d{4}\.$/);

    const artifacts = path.join(ROOT, 'test', 'artifacts');
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: path.join(artifacts, 'region.png'), fullPage: true });
    expect(problems).toEqual([]);
  });

  it('is not on the menu of an LA user, and /region refuses them', async () => {
    const officer = await browser.newPage();
    try {
      await signInThroughPortal(officer, stack.portalUrl!, DEMO_USERS.la_officer, '/');
      expect(await officer.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Regional overview' }).count()).toBe(0);
      const response = await officer.goto(`${stack.portalUrl}/region`);
      expect(response?.status()).toBe(403);
    } finally {
      await officer.close();
    }
  });
});
