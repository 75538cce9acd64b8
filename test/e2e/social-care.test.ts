/**
 * Social care in the browser, on the demo LA with its out-of-area returns loaded: the demo social
 * worker's caseload and a child's page, and the virtual school dashboard. What each should show
 * is worked out here from the demo's CSV files (caseloads, SSDA903) and, for figures, from the
 * API as the LA attendance officer.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { parseCsv } from '../support/csv.js';
import { signInThroughPortal } from '../support/sign-in.js';
import { DEMO_USERS, ROOT, startStack, type Stack } from '../support/stack.js';

const TODAY = new Date().toISOString().slice(0, 10);
const YESTERDAY = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
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

  /** The number of concerns new to a user, straight from the API (this does not count as looking). */
  async function newConcerns(email: string): Promise<number> {
    const token = await stack.signIn(email);
    const response = await fetch(stack.apiUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: 'query { newConcerns }' }),
    });
    return ((await response.json()) as { data: { newConcerns: number } }).data.newConcerns;
  }

  /** The demo's social worker (most children on open allocations today) and their team, from caseloads.csv. */
  function demoWorker() {
    const open = readCsv(path.join(stack.dataDir, 'demo', 'social-care', 'caseloads.csv'))
      .filter((r) => r.upn && r.start_date! <= TODAY && (r.end_date === '' || r.end_date! >= TODAY));
    const byWorker = new Map<string, Set<string>>();
    for (const r of open) byWorker.set(r.worker_id!, (byWorker.get(r.worker_id!) ?? new Set()).add(r.upn!));
    const [workerId, upns] = [...byWorker.entries()].sort((a, b) => b[1].size - a[1].size || a[0].localeCompare(b[0]))[0]!;
    const team = open.find((r) => r.worker_id === workerId)!.team!;
    return { workerId, upns, team, open };
  }

  beforeAll(async () => {
    browser = await launchChromium();
    stack = await startStack({ data: { kind: 'demo', pupils: 1000, seed: 2, outOfArea: true } });
    // The data was loaded before the API started: its concerns are worked out in the background
    // at start. Wait for them, so that "new since you last looked" is about this test's visits.
    const deadline = Date.now() + 60_000;
    while ((await newConcerns(DEMO_USERS.virtual_school)) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
  }, 240_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await stack?.stop();
  });

  it("shows the demo social worker their caseload, and a child's page in days and hours with the session calendar", async () => {
    const expected = demoWorker().upns;
    const before = await newConcerns(DEMO_USERS.social_worker);
    expect(before).toBeGreaterThan(0);

    // The menu leads to the caseload and counts what is new, on any page (this look marks nothing seen).
    const home = await signedIn(DEMO_USERS.social_worker, '/');
    const menu = home.getByRole('navigation', { name: 'Menu' });
    expect(await menu.getByRole('link').evaluateAll((as) => as.map((a) => (a.textContent ?? '').replace(a.querySelector('[data-testid=nav-new-concerns]')?.textContent ?? '', '').trim()))).toEqual(['LA overview', 'Your caseload', 'Your account']);
    expect(await menu.getByTestId('nav-new-concerns').getAttribute('data-count')).toBe(String(before));
    expect(await menu.getByRole('link', { name: `Your caseload ${before} new concern` }).count()).toBe(1);
    expect(await newConcerns(DEMO_USERS.social_worker)).toBe(before);

    const page = await signedIn(DEMO_USERS.social_worker, '/caseload');
    expect(new URL(page.url()).pathname).toBe('/caseload');
    const rows = page.getByTestId('caseload-table').locator('tbody tr');
    const upns = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-upn')!));
    expect(upns.sort()).toEqual([...expected].sort());

    expect((await page.getByTestId('alerts-summary').textContent())!.trim()).toMatch(new RegExp(`^${before} new concerns? since you last looked`));
    expect(await page.getByTestId('new-concerns').getAttribute('data-count')).toBe(String(before));
    expect(await page.getByTestId('alerts-table').locator('tbody tr').count()).toBe(Math.min(before, 30));
    await page.screenshot({ path: path.join(ROOT, 'test/artifacts/social-care-caseload.png'), fullPage: true });
    await page.reload();
    expect((await page.getByTestId('alerts-summary').textContent())!.trim()).toMatch(/^0 new concerns since you last looked/);
    expect(await page.getByTestId('new-concerns').count()).toBe(0);
    expect(await newConcerns(DEMO_USERS.social_worker)).toBe(0);
    expect(await page.getByTestId('nav-new-concerns').count()).toBe(0);

    const upn = upns[0]!;
    const { socialCareChild: truth } = await stack.graphql<{ socialCareChild: { year: { daysMissed: number; hoursMissed: number }; calendar: unknown[]; weeks: unknown[]; lastTwoWeeks: string } }>(
      'query ($upn: String!) { socialCareChild(upn: $upn) { year { daysMissed hoursMissed } calendar { date } weeks { weekStart } lastTwoWeeks } }',
      { upn },
    );
    await page.getByTestId('caseload-table').locator(`tr[data-upn="${upn}"] a`).click();
    await page.waitForURL(`**/children/${upn}`);
    // The social worker follows the child to every school: no "this LA's schools only" notice.
    expect(await page.getByTestId('own-schools-only').count()).toBe(0);
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
    expect(await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: /^Virtual school/ }).count()).toBe(1);
    expect(await page.getByTestId('children-table').count(), (await page.locator('main').textContent()) ?? '').toBe(1);
    const rows = page.getByTestId('children-table').locator('tbody tr');
    const upns = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-upn')!));
    expect(upns.sort()).toEqual(expected);
    expect(await page.getByTestId('cohort-children').textContent()).toBe(String(expected.length));
    const schools = await page.getByTestId('children-table').getByTestId('school').allTextContents();
    const away = schools.filter((s) => s.includes('out of area')).length;
    expect(away).toBeGreaterThan(0);
    expect(await page.getByTestId('cohort-out-of-area').textContent()).toBe(String(away));
    expect((await page.getByTestId('alerts-summary').textContent())!.trim()).toMatch(/^[1-9]\d* new concerns? since you last looked/);
    expect(await page.getByTestId('new-concerns').isVisible()).toBe(true);
    expect(await page.getByTestId('own-schools-only').count()).toBe(0);
    await page.screenshot({ path: path.join(ROOT, 'test/artifacts/social-care-virtual-school.png'), fullPage: true });

    const csv = await page.evaluate(async () => (await fetch('/virtual-school/board.csv')).text());
    const table = parseCsv(csv);
    expect(table[0]).toEqual(['academic_year', 'as_of', 'measure', 'value']);
    expect(table.find((r) => r[2] === 'Looked-after children')?.[3]).toBe(expected.length >= 5 ? String(expected.length) : '');
    for (const upn of expected) expect(csv).not.toContain(upn);

    // The virtual school records a child's personal education plan on the page.
    expect(await page.locator('form.rb-plan-form').count()).toBe(expected.length);
    const first = page.getByTestId('children-table').locator(`tr[data-upn="${expected[0]}"]`);
    await first.locator('select[name="pepStatus"]').selectOption('complete');
    await first.locator('input[name="pepDate"]').fill('2025-03-01');
    await first.getByRole('button', { name: 'Save' }).click();
    await page.waitForLoadState('networkidle');
    await expect.poll(async () => page.getByTestId('children-table').locator(`tr[data-upn="${expected[0]}"]`).getByTestId('pep').textContent()).toMatch(/^\s*Complete, 1 Mar 2025/);

    // No national figures are recorded: the plain statement, and the form to record them. Bad
    // input is refused with an error summary linking to each field.
    const year = (await page.locator('.govuk-caption-xl').first().textContent())!.trim();
    expect(await page.getByTestId('national-note').textContent()).toMatch(/not recorded yet/);
    expect(await page.getByTestId('cohort').locator('thead th').allTextContents()).toEqual(['Measure', `This cohort, ${year} so far`]);
    const nationalForm = page.getByTestId('national-form');
    expect(await nationalForm.getByLabel('Academic year').inputValue()).toBe(year);
    await nationalForm.getByLabel('Academic year').fill('2024-25');
    await nationalForm.getByLabel('Overall absence (%)').fill('120');
    await nationalForm.getByRole('button', { name: 'Save national figures' }).click();
    const summary = page.getByTestId('national-error-summary');
    await summary.waitFor();
    expect(await summary.getByRole('link').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual(['#national-year', '#national-overall', '#national-source']);
    expect(await page.title()).toMatch(/^Error: /);
    expect(await page.getByLabel('Overall absence (%)').getAttribute('aria-describedby')).toBe('national-overall-hint national-overall-error');
    expect(await page.getByLabel('Overall absence (%)').inputValue()).toBe('120');

    // Recorded through the form: England's figures sit beside the cohort's, with their year and source.
    const SOURCE = 'https://explore-education-statistics.service.gov.uk/find-statistics/outcomes-for-children-in-need-including-children-looked-after-by-local-authorities-in-england';
    const again = page.getByTestId('national-form');
    await again.getByLabel('Academic year').fill(year);
    await again.getByLabel('Overall absence (%)').fill('6.9');
    await again.getByLabel('Persistent absence (%) (optional)').fill('15.2');
    await again.getByLabel('Source').fill(SOURCE);
    await again.getByRole('button', { name: 'Save national figures' }).click();
    await page.getByTestId('national-saved').waitFor();
    expect(await page.getByTestId('national-error-summary').count()).toBe(0);
    expect(await page.getByTestId('cohort').locator('thead th').allTextContents()).toEqual(['Measure', `This cohort, ${year} so far`, `England, looked-after children, ${year}`]);
    expect(await page.getByTestId('national-overall').textContent()).toBe('6.9%');
    expect(await page.getByTestId('national-persistent').textContent()).toBe('15.2%');
    expect(await page.getByTestId('national-note').getByRole('link', { name: SOURCE }).getAttribute('href')).toBe(SOURCE);
    // The cohort's own figures in that table are the API's, as the virtual school reads them (not marking anything seen).
    const response = await fetch(stack.apiUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await stack.signIn(DEMO_USERS.virtual_school)}` },
      body: JSON.stringify({ query: 'query { virtualSchool(markSeen: false) { cohort { overallAbsenceRate national { academicYear overallAbsencePct } } } }' }),
    });
    const truth = ((await response.json()) as { data: { virtualSchool: { cohort: { overallAbsenceRate: number; national: { academicYear: string; overallAbsencePct: number } } } } }).data.virtualSchool;
    expect(truth.cohort.national).toEqual({ academicYear: year, overallAbsencePct: 6.9 });
    expect(await page.getByTestId('cohort-overall-absence').textContent()).toBe(`${(Math.round(truth.cohort.overallAbsenceRate * 10) / 10).toFixed(1)}%`);
    await page.screenshot({ path: path.join(ROOT, 'test/artifacts/social-care-virtual-school-national.png'), fullPage: true });
    const board = parseCsv(await page.evaluate(async () => (await fetch('/virtual-school/board.csv')).text()));
    expect(board.find((r) => r[2] === 'England, looked-after children: overall absence (%)')?.[3]).toBe('6.9');

    // Looking again: nothing is new any more.
    await page.reload();
    expect((await page.getByTestId('alerts-summary').textContent())!.trim()).toMatch(/^0 new concerns since you last looked/);
  });

  it("tells an LA officer on the virtual school page that they see the children's attendance at the LA's own schools only", async () => {
    const page = await signedIn(DEMO_USERS.la_officer, '/virtual-school');
    expect(new URL(page.url()).pathname).toBe('/virtual-school');
    const notice = page.getByTestId('own-schools-only');
    expect(await notice.isVisible()).toBe(true);
    expect(await notice.textContent()).toContain("at this LA's schools only");
    // What the notice explains: the placements at other LAs' schools are out of the officer's sight.
    expect(await page.getByTestId('cohort-out-of-area').textContent()).toBe('0');
    const placed = page.getByTestId('children-table').locator('tbody tr', { hasText: "Not on roll at this LA's schools" });
    expect(await placed.count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(ROOT, 'test/artifacts/social-care-virtual-school-officer.png'), fullPage: true });
    // The child's own page says the same to the officer.
    await page.goto(`${stack.portalUrl}/children/${await placed.first().getAttribute('data-upn')}`);
    expect(await page.getByTestId('own-schools-only').isVisible()).toBe(true);
    expect(await page.locator('main').textContent()).toContain('ask their social worker or the virtual school');
  });

  it("shows the team manager their team's caseload as the data has it; an allocation that ends takes the child away", async () => {
    const { team, open } = demoWorker();
    const teamOpen = open.filter((r) => r.team === team);
    const expected = [...new Set(teamOpen.map((r) => r.upn!))].sort();
    expect(expected.length).toBeGreaterThan(demoWorker().upns.size - 1);

    const page = await signedIn(DEMO_USERS.team_manager, '/caseload');
    expect(await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: /^Your caseload/ }).count()).toBe(1);
    const rows = page.getByTestId('caseload-table').locator('tbody tr');
    expect((await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-upn')!))).sort()).toEqual(expected);
    expect(await page.getByTestId('caseload-table').locator('caption').textContent()).toBe(`${expected.length} children`);
    // Each child's figures as the API gives the LA's attendance officer (who sees every allocation).
    const { caseload } = await stack.graphql<{ caseload: { children: { upn: string; year: { attendanceRate: number | null; daysMissed: number } }[] } }>(
      'query { caseload(markSeen: false) { children { upn year { attendanceRate daysMissed } } } }',
    );
    const truth = new Map(caseload.children.map((c) => [c.upn, c.year]));
    for (const upn of expected) {
      const row = page.getByTestId('caseload-table').locator(`tr[data-upn="${upn}"]`);
      const year = truth.get(upn)!;
      const round = Math.round(year.daysMissed * 10) / 10;
      expect(await row.getByTestId('days-missed').textContent(), upn).toContain(`${round} ${round === 1 ? 'day' : 'days'}`);
      const shown = (await row.getByTestId('attendance').textContent())!;
      if (year.attendanceRate === null) expect(shown).not.toMatch(/\d/);
      else expect(Number(shown.replace(/[^\d.]/g, ''))).toBeCloseTo(year.attendanceRate, 1);
    }
    await page.screenshot({ path: path.join(ROOT, 'test/artifacts/social-care-team-manager.png'), fullPage: true });

    // A child held once in the team: the case-management system ends the allocation yesterday.
    const once = expected.find((u) => teamOpen.filter((r) => r.upn === u).length === 1 && open.filter((r) => r.upn === u).length === 1)!;
    expect(once).toBeDefined();
    await page.goto(`${stack.portalUrl}/children/${once}`);
    expect(await page.getByTestId('year-missed').count()).toBe(1);
    const file = path.join(stack.dataDir, 'demo', 'social-care', 'caseloads.csv');
    const lines = readFileSync(file, 'utf8').trim().split(/\r?\n/);
    const head = lines[0]!.split(',');
    const [upnAt, startAt, endAt] = ['upn', 'start_date', 'end_date'].map((c) => head.indexOf(c));
    const ended = lines.map((line, i) => {
      const cells = line.split(',');
      if (i === 0 || cells[upnAt!] !== once || cells[startAt!]! > TODAY || (cells[endAt!] !== '' && cells[endAt!]! < TODAY)) return line;
      cells[endAt!] = YESTERDAY;
      return cells.join(',');
    });
    writeFileSync(file, `${ended.join('\n')}\n`);
    execFileSync('node', [path.join(ROOT, 'packages/etl/bin/rollbook.mjs'), 'load', file, '--la', '332', '--data-dir', stack.dataDir], { stdio: 'pipe', env: { ...process.env, TZ: 'UTC' } });

    await page.goto(`${stack.portalUrl}/caseload`);
    const after = (await page.getByTestId('caseload-table').locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-upn')!))).sort();
    expect(after).toEqual(expected.filter((u) => u !== once));
    const response = await page.goto(`${stack.portalUrl}/children/${once}`);
    expect(response?.status()).toBe(404);
    expect(await page.getByTestId('year-missed').count()).toBe(0);
  });
});
