/**
 * Roles in the browser, signed in with the demo users' passwords: a school user's pupil list and
 * its CSV, another school's list staying empty, the administrator's audit log showing those
 * reads, and the analyst kept to aggregates. (Every role × every query is in the API's access
 * matrix test; this checks the portal carries the session and shows what the API allows.)
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { parseCsv } from '../support/csv.js';
import { signInThroughPortal } from '../support/sign-in.js';
import { DEMO_USERS, startStack, type Stack } from '../support/stack.js';

// The mart fixture's schools are URN 100001, 100002, …; the demo school user gets the largest
// (all are the same size, so the first).
const OWN = 100001;
const OTHER = 100002;

describe('roles in the portal', () => {
  let stack: Stack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function signedIn(email: string, path = '/'): Promise<Page> {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    await signInThroughPortal(page, stack.portalUrl!, email, path);
    return page;
  }

  beforeAll(async () => {
    browser = await launchChromium();
    stack = await startStack({ data: { kind: 'mart-fixture', schools: 4, pupilsPerSchool: 12 } });
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await stack?.stop();
  });

  it('shows a school user their own pupils, with a CSV of the same, and nobody at another school', async () => {
    const page = await signedIn(DEMO_USERS.school_user, `/schools/${OWN}/pupils`);
    expect(new URL(page.url()).pathname).toBe(`/schools/${OWN}/pupils`);
    expect(await page.getByTestId('signed-in-as').textContent()).toContain('(School user)');
    const rows = page.getByTestId('pupils-table').locator('tbody tr');
    const upns = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-upn')!));
    expect(upns.length).toBeGreaterThan(0);

    const href = await page.getByTestId('pupils-csv').getAttribute('href');
    const csv = await page.evaluate(async (url) => (await fetch(url)).text(), href!);
    const table = parseCsv(csv);
    expect(table[0]!.slice(0, 4)).toEqual(['urn', 'upn', 'forename', 'surname']);
    expect(table.slice(1).map((r) => r[1]).sort()).toEqual([...upns].sort());

    await page.goto(`${stack.portalUrl}/schools/${OTHER}/pupils`);
    expect(await page.getByTestId('no-pupils').textContent()).toContain('You have no pupils to see at this school');
    expect(await page.getByTestId('pupils-table').count()).toBe(0);
  });

  it('lets the LA administrator find those reads in the audit log, and nobody else', async () => {
    const admin = await signedIn(DEMO_USERS.la_admin, `/audit?${new URLSearchParams({ userEmail: DEMO_USERS.school_user })}`);
    const text = (await admin.getByTestId('audit-table').textContent()) ?? '';
    expect(text).toContain('school_pupils.read');
    expect(text).toContain('school_pupils.export');
    expect(text).toContain(`school ${OWN}`);
    expect(text).toContain(`school ${OTHER}`);

    const officer = await signedIn(DEMO_USERS.la_officer);
    expect((await officer.goto(`${stack.portalUrl}/audit`))?.status()).toBe(403);
  });

  it('keeps the analyst to figures for groups', async () => {
    const analyst = await signedIn(DEMO_USERS.analyst);
    expect(await analyst.getByTestId('signed-in-as').textContent()).toContain('Analyst (aggregates only)');
    expect(await analyst.getByTestId('headline-cards').count()).toBe(1);
    expect((await analyst.goto(`${stack.portalUrl}/schools/${OWN}/pupils`))?.status()).toBe(403);
    const csv = await analyst.goto(`${stack.portalUrl}/schools/${OWN}/pupils.csv`);
    expect(csv?.status()).toBe(403);
  });

  it('offers each role the menu of what it may open', async () => {
    // The social-care roles need a demo's caseloads to exist: their menus are in social-care.test.ts.
    const expected: Partial<Record<keyof typeof DEMO_USERS, string[]>> = {
      la_admin: ['LA overview', 'Support meetings', 'Audit log', 'Your account'],
      la_officer: ['LA overview', 'Support meetings', 'Your account'],
      school_user: ['LA overview', 'Your pupils', 'Support meetings', 'Your account'],
      analyst: ['LA overview', 'Your account'],
    };
    for (const [role, items] of Object.entries(expected) as [keyof typeof DEMO_USERS, string[]][]) {
      const page = await signedIn(DEMO_USERS[role]);
      const menu = await page.getByRole('navigation', { name: 'Menu' }).getByRole('link').allTextContents();
      expect(menu.map((t) => t.trim()), role).toEqual(items);
    }
  });
});
