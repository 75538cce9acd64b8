import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from './stack.js';

/** Signs in through the portal's sign-in page, as a person would, and waits for the page asked for. */
export async function signInThroughPortal(page: Page, portalUrl: string, email: string, path = '/', password = DEMO_PASSWORD): Promise<void> {
  await page.goto(`${portalUrl}${path}`);
  if (!new URL(page.url()).pathname.startsWith('/login')) throw new Error(`Expected the sign-in page, got ${page.url()}`);
  // Type only once the page is hydrated: hydration can reset a value typed before it.
  await page.locator('body[data-hydrated="true"]').waitFor({ timeout: 30_000 });
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await page.getByTestId('sign-in').click();
  try {
    await page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 15_000 });
  } catch (error) {
    const summary = await page.getByTestId('error-summary').textContent().catch(() => null);
    throw new Error(`Signing in as ${email} did not leave ${page.url()}: ${summary ?? (error as Error).message}`);
  }
}
