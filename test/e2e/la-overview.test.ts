import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { parseCsv } from '../support/csv.js';
import { signInThroughPortal } from '../support/sign-in.js';
import { DEMO_USERS, ROOT, startStack, type Stack } from '../support/stack.js';

interface School {
  urn: number;
  name: string;
  attendanceRate: number | null;
  persistentAbsenceRate: number | null;
}

interface Overview {
  laName: string;
  academicYear: string;
  scope: 'DFE' | 'OPERATIONAL';
  enrolments: number;
  attendanceRate: number | null;
  overallAbsenceRate: number | null;
  authorisedAbsenceRate: number | null;
  unauthorisedAbsenceRate: number | null;
  persistentAbsenceRate: number | null;
  severeAbsenceRate: number | null;
  persistentAbsentees: number;
  severeAbsentees: number;
  schools: School[];
}

const OVERVIEW = `query ($scope: MetricScope) { laOverview(scope: $scope) {
  laName academicYear scope enrolments attendanceRate overallAbsenceRate authorisedAbsenceRate
  unauthorisedAbsenceRate persistentAbsenceRate severeAbsenceRate persistentAbsentees severeAbsentees
  schools { urn name attendanceRate persistentAbsenceRate } } }`;

const CHARTS = [
  { id: 'attendance-by-school', field: 'attendanceRate', csvColumn: 'attendance_perc', order: 'ascending' },
  { id: 'persistent-absence-by-school', field: 'persistentAbsenceRate', csvColumn: 'pa_perc', order: 'descending' },
] as const;

const CARDS = [
  ['card-attendance', 'attendanceRate'],
  ['card-overall-absence', 'overallAbsenceRate'],
  ['card-authorised-absence', 'authorisedAbsenceRate'],
  ['card-unauthorised-absence', 'unauthorisedAbsenceRate'],
  ['card-persistent-absence', 'persistentAbsenceRate'],
  ['card-severe-absence', 'severeAbsenceRate'],
] as const;

/** `94.3%` → 94.3; `12,345` → 12345. */
function number(text: string | null): number {
  const value = Number((text ?? '').replace(/[,%]/g, '').trim());
  if (!Number.isFinite(value)) throw new Error(`Not a number on the page: ${JSON.stringify(text)}`);
  return value;
}

/** Fails the test on any console error or failed request (CSP violations show up here). */
function watchForErrors(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    // A request the browser itself cancelled (a hover preload or a load overtaken by the next
    // navigation) is not a failure of the portal; anything else is.
    if (request.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${request.url()} (${request.failure()?.errorText ?? 'unknown'})`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return problems;
}

async function expectCardsMatch(page: Page, overview: Overview): Promise<void> {
  for (const [testid, field] of CARDS) {
    const shown = number(await page.getByTestId(`${testid}-value`).textContent());
    expect(shown, testid).toBeCloseTo(overview[field]!, 1);
  }
  expect(number(await page.getByTestId('card-enrolments-value').textContent())).toBe(overview.enrolments);
  const pa = await page.getByTestId('card-persistent-absence-hint').textContent();
  expect(number(pa!.split(' ')[0]!)).toBe(overview.persistentAbsentees);
  const sa = await page.getByTestId('card-severe-absence-hint').textContent();
  expect(number(sa!.split(' ')[0]!)).toBe(overview.severeAbsentees);
}

describe('LA overview in a browser, with a loaded demo LA', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let dfe: Overview;

  beforeAll(async () => {
    browser = await launchChromium();
    stack = await startStack({ data: { kind: 'demo', pupils: 2000 } });
    dfe = (await stack.graphql<{ laOverview: Overview }>(OVERVIEW, { scope: 'DFE' })).laOverview;
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    problems = watchForErrors(page);
    // Signed out, the portal sends the officer to the sign-in page and back.
    await signInThroughPortal(page, stack.portalUrl!, DEMO_USERS.la_officer);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('has loaded schools to show', () => {
    expect(dfe.scope).toBe('DFE');
    expect(dfe.enrolments).toBeGreaterThan(0);
    expect(dfe.schools.length).toBeGreaterThan(1);
  });

  it('shows the LA, year and scope and the headline figures the API returns', async () => {
    expect(await page.locator('html').getAttribute('lang')).toBe('en-GB');
    await expect(page.locator('h1').count()).resolves.toBe(1);
    expect(await page.locator('h1').textContent()).toContain(dfe.academicYear);
    expect(await page.getByTestId('header').textContent()).toContain(dfe.laName);
    expect(await page.getByTestId('scope-statement').textContent()).toContain('DfE statistics scope');
    await expectCardsMatch(page, dfe);
  });

  it('draws each chart from the API\'s per-school figures, sorted worst first', async () => {
    for (const chart of CHARTS) {
      const host = page.getByTestId(`${chart.id}-chart`);
      await host.and(page.locator('[data-chart-state="rendered"]')).waitFor({ timeout: 20_000 });
      const drawn = await host.evaluate((el) => {
        const option = (el as HTMLElement & { echartsInstance: { getOption(): any } }).echartsInstance.getOption();
        return {
          urns: option.yAxis[0].data as string[],
          values: (option.series[0].data as { value: number }[]).map((d) => d.value),
          svgBars: el.querySelectorAll('svg path').length,
        };
      });
      const expected = dfe.schools.filter((s) => s[chart.field] !== null);
      expect(drawn.urns.length, chart.id).toBe(expected.length);
      const byUrn = new Map(dfe.schools.map((s) => [String(s.urn), s[chart.field]]));
      drawn.urns.forEach((urn, i) => expect(drawn.values[i], `${chart.id} ${urn}`).toBe(byUrn.get(urn)));
      const sorted = [...drawn.values].sort((a, b) => (chart.order === 'ascending' ? a - b : b - a));
      expect(drawn.values).toEqual(sorted);
      expect(drawn.svgBars).toBeGreaterThanOrEqual(expected.length);
    }
  });

  it('offers each chart as a table and a CSV with the same numbers', async () => {
    for (const chart of CHARTS) {
      const byUrn = new Map(dfe.schools.map((s) => [s.urn, s[chart.field]]));

      await page.getByTestId(`${chart.id}-details`).locator('summary').click();
      const rows = page.getByTestId(`${chart.id}-table`).locator('tbody tr');
      await expect(rows.count()).resolves.toBe(dfe.schools.length);
      const cells = await rows.evaluateAll((trs) =>
        trs.map((tr) => [Number(tr.getAttribute('data-urn')), tr.querySelector('[data-value]')?.textContent ?? '']),
      );
      for (const [urn, text] of cells as [number, string][]) {
        const expected = byUrn.get(urn);
        if (expected === null) expect(text).toBe('No data');
        else expect(number(text), `${chart.id} table ${urn}`).toBeCloseTo(expected!, 1);
      }

      const href = await page.getByTestId(`${chart.id}-csv`).getAttribute('href');
      const response = await page.request.get(new URL(href!, stack.portalUrl).href);
      expect(response.status()).toBe(200);
      expect(response.headers()['content-type']).toMatch(/^text\/csv/);
      expect(response.headers()['content-disposition']).toBe(
        `attachment; filename="${chart.id}-${dfe.academicYear.replace('/', '-')}-dfe.csv"`,
      );
      const [header, ...records] = parseCsv(await response.text());
      expect(header).toEqual(['urn', 'school_name', 'phase', 'enrolments', chart.csvColumn]);
      expect(records.length).toBe(dfe.schools.length);
      for (const [urn, name, , , value] of records) {
        const school = dfe.schools.find((s) => s.urn === Number(urn));
        expect(school?.name.replace(/^([=+\-@])/, "'$1"), `CSV name for ${urn}`).toBe(name);
        const expected = byUrn.get(Number(urn));
        if (expected === null) expect(value).toBe('');
        else expect(Number(value), `${chart.id} CSV ${urn}`).toBeCloseTo(expected!, 2);
      }
    }
  });

  it('switches to the operational scope with the GET form', async () => {
    const operational = (await stack.graphql<{ laOverview: Overview }>(OVERVIEW, { scope: 'OPERATIONAL' })).laOverview;
    await page.getByLabel('Operational (every pupil on roll)').check();
    await Promise.all([page.waitForURL(/scope=operational/), page.getByRole('button', { name: 'Show figures' }).click()]);
    expect(await page.getByTestId('scope-statement').textContent()).toContain('Operational');
    await expectCardsMatch(page, operational);
  });

  it('explains a year that is not loaded, on an error page', async () => {
    // Another tab of the same signed-in browser.
    const context = await browser.newContext({ storageState: await page.context().storageState() });
    const other = await context.newPage();
    const response = await other.goto(`${stack.portalUrl}/?year=1999/00&scope=dfe`);
    expect(response?.status()).toBe(404);
    expect(await other.locator('h1').textContent()).toBe('There is a problem with your choice');
    expect(await other.getByTestId('error-page').textContent()).toContain('No attendance data is loaded for 1999/00');
    await context.close();
  });

  it('looks right (full-page screenshot) and raised no browser errors', async () => {
    await page.goto(`${stack.portalUrl}/`);
    for (const chart of CHARTS) {
      await page.getByTestId(`${chart.id}-chart`).and(page.locator('[data-chart-state="rendered"]')).waitFor();
    }
    const artifacts = path.join(ROOT, 'test', 'artifacts');
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: path.join(artifacts, 'la-overview.png'), fullPage: true });
    expect(problems).toEqual([]);
  });
});

describe('LA overview in a browser, with an empty warehouse', () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
    stack = await startStack({ data: { kind: 'empty' } });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('explains how to load data instead of showing an error', async () => {
    const page = await browser.newPage();
    await signInThroughPortal(page, stack.portalUrl!, DEMO_USERS.la_officer);
    const response = await page.goto(`${stack.portalUrl}/`);
    expect(response?.status()).toBe(200);
    const panel = page.getByTestId('empty-warehouse');
    expect(await panel.textContent()).toContain('No attendance data loaded yet — run npx rollbook load');
    await expect(page.getByTestId('headline-cards').count()).resolves.toBe(0);
  });
});
