/**
 * Benchmarks in a browser (issue 6): the LA overview's comparisons with statistical neighbours,
 * region and England, where to help first and trends, and a school page, each chart checked
 * against the API's figures, with its table and its CSV and XLSX downloads.
 */
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { parseCsv } from '../support/csv.js';
import { signInThroughPortal } from '../support/sign-in.js';
import { DEMO_USERS, startStack, type Stack } from '../support/stack.js';

interface Figure { phase: string; measure: string; value: number | null; snAverage: number | null; regionValue: number | null; englandValue: number | null; neighbours: { laName: string; value: number | null }[] }
interface Point { period: string; thisYear: number | null; lastYear: number | null }
interface LaData {
  laBenchmarks: { laName: string; academicYear: string; published: Figure[] };
  whereToHelpFirst: { rank: number; urn: number; name: string; persistentAbsenceRate: number | null }[];
  laTrends: { termly: Point[]; weekly: Point[] };
  laCohorts: { cohort: string; overallAbsenceRate: number | null; persistentAbsenceRate: number | null }[];
}
interface SchoolData {
  schoolBenchmarks: {
    urn: number;
    absenceBands: { band: string; enrolments: number | null }[];
    weekdaySession: { weekday: number; session: string; absenceRate: number | null }[];
    similarSchools: { comparators: { urn: number; overallAbsenceRate: number | null }[] } | null;
    reasons: { code: string; rate: number }[];
  };
}

const LA = `{ laBenchmarks { laName academicYear published { phase measure value snAverage regionValue englandValue neighbours { laName value } } }
  whereToHelpFirst { rank urn name persistentAbsenceRate } laTrends { termly { period thisYear lastYear } weekly { period thisYear lastYear } }
  laCohorts { cohort overallAbsenceRate persistentAbsenceRate } }`;
const SCHOOL = `query ($urn: Int!) { schoolBenchmarks(urn: $urn) { urn absenceBands { band enrolments } weekdaySession { weekday session absenceRate }
  similarSchools { comparators { urn overallAbsenceRate } } reasons { code rate } } }`;

const round2 = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);

/** The option ECharts drew, once it has rendered. */
async function drawn(page: Page, id: string): Promise<{ categories: string[]; series: { name: string; data: unknown[] }[] }> {
  const host = page.getByTestId(`${id}-chart`);
  await host.and(page.locator('[data-chart-state="rendered"]')).waitFor({ timeout: 20_000 });
  return host.evaluate((el) => {
    const option = (el as HTMLElement & { echartsInstance: { getOption(): any } }).echartsInstance.getOption();
    const axis = option.yAxis[0].type === 'category' ? option.yAxis[0] : option.xAxis[0];
    return { categories: axis.data as string[], series: (option.series as any[]).map((s) => ({ name: s.name, data: (s.data as any[]).map((d) => (d && typeof d === 'object' && 'value' in d ? d.value : d)) })) };
  });
}

async function tableCells(page: Page, id: string): Promise<string[][]> {
  const details = page.getByTestId(`${id}-details`);
  if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
  return page.getByTestId(`${id}-table`).locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.getAttribute('data-value') ?? '')));
}

async function downloads(page: Page, portalUrl: string, id: string): Promise<{ csv: string[][]; xlsx: unknown[][] }> {
  const get = async (kind: 'csv' | 'xlsx') => {
    const href = await page.getByTestId(`${id}-${kind}`).getAttribute('href');
    const response = await page.request.get(new URL(href!, portalUrl).href);
    expect(response.status(), `${id}.${kind}`).toBe(200);
    return response;
  };
  const csv = parseCsv(await (await get('csv')).text());
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await (await get('xlsx')).body()) as never);
  const sheet = workbook.worksheets[0]!;
  const xlsx: unknown[][] = [];
  sheet.eachRow((row, n) => {
    if (n >= 3) xlsx.push((row.values as unknown[]).slice(1));
  });
  return { csv, xlsx };
}

describe('benchmarks in a browser, with the demo LA and the published statistics', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let la: LaData;
  const problems: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    stack = await startStack({ data: { kind: 'demo', pupils: 1500, published: true } });
    la = await stack.graphql<LaData>(LA);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    await signInThroughPortal(page, stack.portalUrl!, DEMO_USERS.la_officer);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('draws the LA beside its neighbours, their average, the region and England as the API gives them', async () => {
    const b = la.laBenchmarks;
    const primary = b.published.find((r) => r.measure === 'overall_absence_perc' && r.phase === 'Primary')!;
    expect(primary.neighbours).toHaveLength(10);
    const chart = await drawn(page, 'neighbours');
    expect(chart.categories).toEqual([b.laName, ...primary.neighbours.map((n) => n.laName), 'Statistical neighbour average', 'Region', 'England']);
    const expected = [primary.value, ...primary.neighbours.map((n) => n.value), primary.snAverage, primary.regionValue, primary.englandValue].map(round2);
    expect(chart.series[0]!.data).toEqual(expected);

    const rows = await tableCells(page, 'neighbours');
    expect(rows.map((r) => r[0])).toEqual(chart.categories);
    expect(rows.map((r) => (r[1] === '' ? null : Number(r[1])))).toEqual(expected);
    const { csv, xlsx } = await downloads(page, stack.portalUrl!, 'neighbours');
    expect(csv[0]).toEqual(['Area', 'Primary overall absence %', 'Secondary overall absence %']);
    expect(csv.slice(1).map((r) => (r[1] === '' ? null : Number(r[1])))).toEqual(expected);
    expect(xlsx[0]).toEqual(csv[0]);
    expect(xlsx.slice(1).map((r) => r[1] ?? null)).toEqual(expected);
  });

  it('lists where to help first and the trends, from the API', async () => {
    const top = await page.getByTestId('help-first-top').locator('li').evaluateAll((lis) => lis.map((li) => Number(li.getAttribute('data-urn'))));
    expect(top).toEqual(la.whereToHelpFirst.slice(0, 10).map((s) => s.urn));
    const helpRows = await tableCells(page, 'help-first');
    expect(helpRows.map((r) => Number(r[2]))).toEqual(la.whereToHelpFirst.map((s) => s.urn));

    const termly = await drawn(page, 'la-termly');
    expect(termly.categories).toEqual(la.laTrends.termly.map((p) => p.period[0]!.toUpperCase() + p.period.slice(1)));
    expect(termly.series[0]!.data).toEqual(la.laTrends.termly.map((p) => round2(p.thisYear)));
    const weekly = await drawn(page, 'la-weekly');
    expect(weekly.series[0]!.data).toEqual(la.laTrends.weekly.map((p) => round2(p.thisYear)));

    const cohorts = await drawn(page, 'la-cohorts');
    expect(cohorts.categories).toEqual(la.laCohorts.map((c) => c.cohort));
    expect(cohorts.series[0]!.data).toEqual(la.laCohorts.map((c) => round2(c.overallAbsenceRate)));
    expect(cohorts.series[1]!.data).toEqual(la.laCohorts.map((c) => round2(c.persistentAbsenceRate)));
  });

  it('opens a school page from the list, its charts matching the API', async () => {
    const first = la.whereToHelpFirst[0]!;
    await Promise.all([page.waitForURL(new RegExp(`/schools/${first.urn}`)), page.getByTestId('help-first-top').locator('a').first().click()]);
    expect(await page.locator('h1').textContent()).toContain(first.name);
    const school = (await stack.graphql<SchoolData>(SCHOOL, { urn: first.urn })).schoolBenchmarks;

    const bands = await drawn(page, 'absence-bands');
    expect(bands.categories).toEqual(school.absenceBands.map((b) => b.band));
    expect(bands.series[0]!.data).toEqual(school.absenceBands.map((b) => b.enrolments));

    const heat = await drawn(page, 'weekday-session');
    expect(heat.categories).toEqual(['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']);
    const cell = (day: number, session: string) => round2(school.weekdaySession.find((c) => c.weekday === day && c.session === session)?.absenceRate ?? null);
    const expectedHeat = [1, 2, 3, 4, 5].flatMap((day, y) => ['AM', 'PM'].map((s, x) => [x, y, cell(day, s) ?? '-']));
    expect(heat.series[0]!.data).toEqual(expectedHeat);

    const similar = await tableCells(page, 'similar-schools');
    expect(similar.map((r) => Number(r[2]))).toEqual(school.similarSchools!.comparators.map((c) => c.urn));
    const similarChart = await drawn(page, 'similar-schools');
    expect(similarChart.series[0]!.data).toEqual(school.similarSchools!.comparators.map((c) => round2(c.overallAbsenceRate)));

    const reasons = await tableCells(page, 'reasons');
    expect(reasons.map((r) => r[0])).toEqual(school.reasons.map((r) => r.code));
    const { csv, xlsx } = await downloads(page, stack.portalUrl!, 'reasons');
    expect(csv.slice(1).map((r) => r[0])).toEqual(school.reasons.map((r) => r.code));
    expect(xlsx.slice(1).map((r) => r[0])).toEqual(school.reasons.map((r) => r.code));
    const cohorts = await tableCells(page, 'school-cohorts');
    expect(cohorts[0]!.slice(0, 2)).toEqual(['All pupils', 'All pupils']);
  });

  it("compares the LA's own returns with the same neighbours, on its own page", async () => {
    const { laBenchmarks } = await stack.graphql<{ laBenchmarks: { fromReturns: { phase: string; measure: string; value: number | null; snAverage: number | null; snRank: number | null }[] } }>(
      '{ laBenchmarks { fromReturns { phase measure value snAverage snRank } } }',
    );
    await page.goto(`${stack.portalUrl}/comparators`);
    const rows = await tableCells(page, 'returns-comparators');
    const total = laBenchmarks.fromReturns.find((r) => r.phase === 'Total' && r.measure === 'overall_absence_perc')!;
    const row = rows.find((r) => r[0] === 'Total' && r[1] === 'Overall absence')!;
    expect(Number(row[2])).toBe(round2(total.value));
    expect(row[3] === '' ? null : Number(row[3])).toBe(round2(total.snAverage));
    expect(row[4] === '' ? null : Number(row[4])).toBe(total.snRank);
    const { csv } = await downloads(page, stack.portalUrl!, 'returns-comparators');
    expect(csv.slice(1).find((r) => r[0] === 'Total' && r[1] === 'Overall absence')![2]).toBe(String(round2(total.value)));
  });

  it('raised no browser errors', () => {
    expect(problems).toEqual([]);
  });
});
