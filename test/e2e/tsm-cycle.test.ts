/**
 * The targeting support meeting cycle in a browser: an LA officer opens a school's autumn pack,
 * records the meeting with an action by keyboard, the school's spring return reaches the
 * warehouse, and the spring pack shows that action with attendance before and after it. The
 * planner and the action tracker follow.
 */
import { readdirSync, renameSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { signInThroughPortal } from '../support/sign-in.js';
import { DEMO_USERS, startStack, type Stack } from '../support/stack.js';

const SCHOOL = 100001;

/** Every `term=<term>/urn=SCHOOL` partition folder of the mart (one per scope-free partition). */
function partitions(dataDir: string, term: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const full = path.join(dir, entry.name);
      if (entry.name === `urn=${SCHOOL}` && path.basename(dir) === `term=${term}`) found.push(full);
      else walk(full);
    }
  };
  walk(path.join(dataDir, 'marts', 'fct_enrolment_term'));
  return found;
}

describe('targeting support meeting cycle', () => {
  let stack: Stack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const heldBack: { from: string; to: string }[] = [];
  let upn = '';

  beforeAll(async () => {
    browser = await launchChromium();
    stack = await startStack({ data: { kind: 'mart-fixture', schools: 3, pupilsPerSchool: 30 } });
    // The school's spring and summer returns have not arrived yet: hold their partitions back.
    const aside = path.join(stack.dataDir, 'incoming');
    for (const term of ['spring', 'summer']) {
      for (const from of partitions(stack.dataDir, term)) {
        const to = path.join(aside, path.relative(path.join(stack.dataDir, 'marts'), from));
        mkdirSync(path.dirname(to), { recursive: true });
        renameSync(from, to);
        heldBack.push({ from, to });
      }
    }
    expect(heldBack.length).toBeGreaterThan(0);
    context = await browser.newContext();
    page = await context.newPage();
    await signInThroughPortal(page, stack.portalUrl!, DEMO_USERS.la_officer, '/tsm?year=2024/25&term=autumn');
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await stack?.stop();
  });

  it('plans the term: the school has a return and no meeting yet', async () => {
    const row = page.getByTestId('planner-table').locator(`tr[data-urn="${SCHOOL}"]`);
    expect(await row.textContent()).toContain('Not yet');
    await row.getByRole('link').click();
    await page.waitForURL(`**/tsm/${SCHOOL}/2024-25-autumn`);
    expect(await page.getByTestId('pack-title').textContent()).toContain('Autumn term 2024/25');
  });

  it('records the meeting and an action with the keyboard', async () => {
    const first = page.locator('.govuk-summary-card[data-upn]').first();
    upn = (await first.getAttribute('data-upn'))!;
    expect(upn).toMatch(/^[A-Z0-9]{13}$/);

    // Submitting an empty form names the problems and links to the fields.
    await page.getByTestId('record-meeting').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('error-summary').waitFor();
    expect(await page.getByTestId('error-summary').textContent()).toContain('Enter the date of the meeting');

    await page.locator('#date-day').focus();
    await page.keyboard.type('2');
    await page.keyboard.press('Tab');
    await page.keyboard.type('12');
    await page.keyboard.press('Tab');
    await page.keyboard.type('2024');
    await page.keyboard.press('Tab'); // → fieldset of attendees: first name
    await page.keyboard.type('Pat Head');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Headteacher');
    expect(await page.locator('#attendee-0-name').inputValue()).toBe('Pat Head');
    expect(await page.locator('#attendee-0-role').inputValue()).toBe('Headteacher');
    await page.locator('#attendee-1-name').fill('Sam Officer');
    await page.locator('#attendee-1-role').fill('Attendance officer');
    await page.locator('#attendee-1-organisation').selectOption('la');

    await page.locator('#action-0-subject').selectOption(`upn:${upn}`);
    await page.locator('#action-0-type').selectOption('family_meeting');
    await page.locator('#action-0-tier').selectOption('targeted');
    await page.locator('#action-0-owner').focus();
    await page.keyboard.type('Head of year');
    await page.getByTestId('record-meeting').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('recorded').waitFor();
    const card = page.locator(`.govuk-summary-card[data-upn="${upn}"]`);
    expect(await card.getByTestId('earlier-actions').textContent()).toContain('Family meeting (Targeted), Head of year, agreed 2 Dec 2024');
  });

  it('shows the meeting on the planner and the action on the tracker', async () => {
    await page.goto(`${stack.portalUrl}/tsm?year=2024/25&term=autumn`);
    expect(await page.getByTestId('planner-table').locator(`tr[data-urn="${SCHOOL}"]`).textContent()).toContain('Held 2 Dec 2024');
    await page.goto(`${stack.portalUrl}/tsm/actions`);
    expect(await page.getByTestId('actions-table').textContent()).toContain(upn);
  });

  it('after the spring return loads, the spring pack shows the action with attendance before and after', async () => {
    for (const { from, to } of heldBack) renameSync(to, from);
    await page.goto(`${stack.portalUrl}/tsm/${SCHOOL}/2024-25-spring`);
    expect(await page.getByTestId('pack-title').textContent()).toContain('Spring term 2024/25');
    const card = page.locator(`.govuk-summary-card[data-upn="${upn}"]`);
    const impact = (await card.getByTestId('impact').textContent()) ?? '';
    expect(impact).toMatch(/^attendance \d+(\.\d)?% before, \d+(\.\d)?% after \((improving|declining|unchanged)\)$/);

    // The PDF of the same pack downloads through the portal.
    const pdf = await page.evaluate(async (href) => {
      const r = await fetch(href);
      return { status: r.status, type: r.headers.get('content-type'), head: new TextDecoder().decode((await r.arrayBuffer()).slice(0, 5)) };
    }, `/tsm/${SCHOOL}/2024-25-spring/pack.pdf`);
    expect(pdf).toEqual({ status: 200, type: 'application/pdf', head: '%PDF-' });
  });
});
