/**
 * Social care in the browser, on the demo LA with its out-of-area returns loaded: the demo social
 * worker's caseload and a child's page, and the virtual school dashboard. What each should show
 * is worked out here from the demo's CSV files (caseloads, SSDA903) and, for figures, from the
 * API as the LA attendance officer.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { parseCsv } from '../support/csv.js';
import { signInThroughPortal } from '../support/sign-in.js';
import { DEMO_USERS, startStack, type Stack } from '../support/stack.js';

const TODAY = new Date().toISOString().slice(0, 10);
const ukDate = (d: string) => (d ? `${d.slice(6, 10)}-${d.slice(3, 5)}-${d.slice(0, 2)}` : '');

function readCsv(file: string): Record<string, string>[] {
  // The demo writes plain comma-separated lines with no quoting.
  const [head, ...rows] = readFileSync(file, 'utf8').trim().split(/\r?\n/).map((l) => l.split(','));
  return rows.map((r) => Object.fromEntries(r.map((v, i) => [head![i]!, v])));
}

describe('social care in the portal', () => {
  let stack: Stack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function signedIn(email: string, to: string): Promise<Page> {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    await signInThroughPortal(page, stack.portalUrl!, email, to);
    return page;
  }

  beforeAll(async () => {
    browser = await launchChromium();
    stack = await startStack({ data: { kind: 'demo', pupils: 1000, seed: 2, outOfArea: true } });
  }, 240_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await stack?.stop();
  });

  it("shows the demo social worker their caseload, and a child's page in days and hours with the session calendar", async () => {
    const open = readCsv(path.join(stack.dataDir, 'demo', 'social-care', 'caseloads.csv'))
      .filter((r) => r.start_date! <= TODAY && (r.end_date === '' || r.end_date! >= TODAY));
    const byWorker = new Map<string, Set<string>>();
    for (const r of open) byWorker.set(r.worker_id!, (byWorker.get(r.worker_id!) ?? new Set()).add(r.upn!));
    const [, expected] = [...byWorker.entries()].sort((a, b) => b[1].size - a[1].size || a[0].localeCompare(b[0]))[0]!;

    const page = await signedIn(DEMO_USERS.social_worker, '/caseload');
    expect(new URL(page.url()).pathname).toBe('/caseload');
    const rows = page.getByTestId('caseload-table').locator('tbody tr');
    const upns = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-upn')!));
    expect(upns.sort()).toEqual([...expected].sort());

    expect(await page.getByTestId('alerts-summary').textContent()).toMatch(/^\d+ new since you last looked/);
    await page.reload();
    expect(await page.getByTestId('alerts-summary').textContent()).toMatch(/^0 new since you last looked/);

    const upn = upns[0]!;
    const { socialCareChild: truth } = await stack.graphql<{ socialCareChild: { year: { daysMissed: number; hoursMissed: number }; calendar: unknown[]; weeks: unknown[]; lastTwoWeeks: string } }>(
      'query ($upn: String!) { socialCareChild(upn: $upn) { year { daysMissed hoursMissed } calendar { date } weeks { weekStart } lastTwoWeeks } }',
      { upn },
    );
    await page.getByTestId('caseload-table').locator(`tr[data-upn="${upn}"] a`).click();
    await page.waitForURL(`**/children/${upn}`);
    const round = (n: number) => Math.round(n * 10) / 10;
    expect(await page.getByTestId('year-missed').textContent()).toContain(`Missed ${round(truth.year.daysMissed)} day`);
    expect(await page.getByTestId('year-missed').textContent()).toContain(`${round(truth.year.hoursMissed)} hour`);
    expect((await page.getByTestId('last-two-weeks').textContent())!.trim()).toBe(truth.lastTwoWeeks);
    expect(await page.getByTestId('calendar').locator('span.rb-session[data-session="AM"]').count()).toBe(truth.calendar.length);
    const chart = page.locator('[data-testid="weekly-chart"][data-chart-state="rendered"]');
    await chart.waitFor();
    const points = await chart.evaluate((el) => ((el as any).echartsInstance.getOption().series[0].data as unknown[]).length);
    expect(points).toBe(truth.weeks.length);
    expect(await page.getByTestId('questions').locator('li').first().textContent()).toBe('What is their current attendance?');
    expect(await page.getByTestId('contacts').textContent()).toContain('Children Missing Education Team');
  });

  it('shows the virtual school every looked-after child, out of area included, with alerts and the board export', async () => {
    const sc = path.join(stack.dataDir, 'demo', 'social-care', 'ssda903');
    const episodes = readCsv(path.join(sc, 'episodes.csv'));
    const inCare = new Set(episodes.filter((e) => ukDate(e.DECOM!) <= TODAY && (e.DEC === '' || ukDate(e.DEC!) > TODAY)).map((e) => e.CHILD));
    const expected = readCsv(path.join(sc, 'header.csv')).filter((h) => inCare.has(h.CHILD)).map((h) => h.UPN!).sort();

    const page = await signedIn(DEMO_USERS.virtual_school, '/virtual-school');
    expect(new URL(page.url()).pathname).toBe('/virtual-school');
    expect(await page.getByTestId('children-table').count(), (await page.locator('main').textContent()) ?? '').toBe(1);
    const rows = page.getByTestId('children-table').locator('tbody tr');
    const upns = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-upn')!));
    expect(upns.sort()).toEqual(expected);
    expect(await page.getByTestId('cohort-children').textContent()).toBe(String(expected.length));
    const schools = await page.getByTestId('children-table').getByTestId('school').allTextContents();
    const away = schools.filter((s) => s.includes('out of area')).length;
    expect(away).toBeGreaterThan(0);
    expect(await page.getByTestId('cohort-out-of-area').textContent()).toBe(String(away));
    expect(await page.getByTestId('alerts-summary').textContent()).toMatch(/^\d+ new since you last looked/);

    const csv = await page.evaluate(async () => (await fetch('/virtual-school/board.csv')).text());
    const table = parseCsv(csv);
    expect(table[0]).toEqual(['academic_year', 'as_of', 'measure', 'value']);
    expect(table.find((r) => r[2] === 'Looked-after children')?.[3]).toBe(expected.length >= 5 ? String(expected.length) : '');
    for (const upn of expected) expect(csv).not.toContain(upn);

    // Looking again: nothing is new any more.
    await page.reload();
    expect(await page.getByTestId('alerts-summary').textContent()).toMatch(/^0 new since you last looked/);
  });
});
