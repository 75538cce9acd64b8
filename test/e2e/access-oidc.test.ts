/**
 * Single sign-on end to end in a browser: the portal sends the person to a real OpenID Connect
 * provider started here, they sign in there, come back signed in to Rollbook with the role their
 * `roles` claim maps to (OIDC_ROLE_MAP), and see only what that role may see.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { startTestIdp, type TestIdp } from '../support/oidc-provider.js';
import { DEMO_USERS, freePort, startStack, type Stack } from '../support/stack.js';

const ACCOUNTS = {
  officer: { email: 'olivia.officer@idp.example', name: 'Olivia Officer', roles: ['Rollbook.Officer'] },
  analyst: { email: 'arun.analyst@idp.example', name: 'Arun Analyst', roles: ['Staff', 'Rollbook.Analyst'] },
  nobody: { email: 'no.role@idp.example', name: 'No Role', roles: ['Staff'] },
};

describe('OIDC sign-in in a browser, against a real OIDC provider', () => {
  let stack: Stack;
  let idp: TestIdp;
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
    const idpPort = await freePort();
    stack = await startStack({
      data: { kind: 'mart-fixture', schools: 6, pupilsPerSchool: 20 },
      apiEnv: {
        OIDC_ISSUER: `http://127.0.0.1:${idpPort}`,
        OIDC_CLIENT_ID: 'rollbook-portal',
        OIDC_CLIENT_SECRET: 'a-test-client-secret-of-decent-length',
        OIDC_SCOPES: 'email profile rollbook',
        OIDC_ROLE_MAP: 'Rollbook.Admin=la_admin,Rollbook.Officer=la_officer,Rollbook.Analyst=analyst',
        // The mart fixture's LA.
        OIDC_LA_CODE: '999',
        OIDC_DISPLAY_NAME: 'Fixtureshire staff account',
      },
    });
    // The provider starts once the portal's address (its redirect URI) is known; the API
    // discovers it on the first sign-in.
    idp = await startTestIdp({
      port: idpPort,
      redirectUri: `${stack.portalUrl}/login/oidc/callback`,
      clientId: 'rollbook-portal',
      clientSecret: 'a-test-client-secret-of-decent-length',
      accounts: ACCOUNTS,
    });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await idp?.stop();
  });

  /** From a signed-out portal page through the provider's login and consent pages, and back. */
  async function signInAtIdp(page: Page, login: string): Promise<void> {
    await page.goto(`${stack.portalUrl}/`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.getByTestId('oidc-sign-in').click();
    await page.waitForURL((url) => url.origin === idp.issuer);
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('any password');
    await page.locator('button[type="submit"]').click();
    await page.locator('button[type="submit"]', { hasText: 'Continue' }).click();
    await page.waitForURL((url) => url.origin === stack.portalUrl && url.pathname !== '/login/oidc/callback');
  }

  it('offers single sign-on on the sign-in page', async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.portalUrl}/login`);
    expect(await page.getByTestId('oidc-sign-in').textContent()).toContain('Sign in with Fixtureshire staff account');
    await page.close();
  });

  it('signs an officer in with the role their claims map to, and signs them out', async () => {
    const page = await browser.newPage();
    await signInAtIdp(page, 'officer');
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await page.getByTestId('signed-in-as').textContent()).toContain('Olivia Officer (LA attendance officer)');
    expect(await page.getByTestId('headline-cards').count()).toBe(1);
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'rollbook_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: true });

    // The user was created from the claims; an administrator sees them, with the mapped role.
    const admin = await stack.signIn(DEMO_USERS.la_admin);
    const users = await fetch(stack.apiUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ query: '{ users { email role signsInWith } }' }),
    }).then((r) => r.json() as Promise<{ data: { users: Array<{ email: string; role: string; signsInWith: string }> } }>);
    expect(users.data.users).toContainEqual({ email: ACCOUNTS.officer.email, role: 'LA_OFFICER', signsInWith: 'single sign-on' });

    await page.getByTestId('sign-out').click();
    await page.waitForURL((url) => url.pathname === '/login');
    await page.goto(`${stack.portalUrl}/`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.close();
  });

  it('gives an analyst aggregates only', async () => {
    const page = await browser.newPage();
    await signInAtIdp(page, 'analyst');
    expect(await page.getByTestId('signed-in-as').textContent()).toContain('Arun Analyst (Analyst (aggregates only))');
    const response = await page.goto(`${stack.portalUrl}/schools/100001/pupils`);
    expect(response?.status()).toBe(403);
    await page.close();
  });

  it('refuses someone whose claims map to no role, saying why', async () => {
    const page = await browser.newPage();
    await signInAtIdp(page, 'nobody');
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await page.getByTestId('error-summary').textContent()).toContain('your account has no Rollbook role');
    await page.close();
  });
});
