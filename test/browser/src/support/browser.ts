/**
 * Debian's Chromium driven by playwright-core (no browser download): a fresh profile per run, every
 * console error and page error recorded so that a test can assert a view logged none.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { WORKSPACE } from './ledger';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = join(WORKSPACE, 'test-artifacts', 'screenshots');

/** Chromium's flags for every browser test: no sandbox, GPU, first-run UI or background traffic. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface ConsoleEntry {
  readonly kind: 'console' | 'pageerror';
  readonly text: string;
  readonly url: string;
}

export interface BrowserSession {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console errors and uncaught page errors since the last drain. */
  drainErrors(): ConsoleEntry[];
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function openBrowser(): Promise<BrowserSession> {
  const profile = mkdtempSync(join(tmpdir(), 'hz-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS],
    viewport: { width: 1440, height: 1000 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  let errors: ConsoleEntry[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error')
      errors.push({ kind: 'console', text: message.text(), url: page.url() });
  });
  page.on('pageerror', (error) =>
    errors.push({ kind: 'pageerror', text: `${error.name}: ${error.message}`, url: page.url() }),
  );
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    context,
    page,
    drainErrors: () => {
      const drained = errors;
      errors = [];
      return drained;
    },
    screenshot: async (name) => {
      const path = join(SCREENSHOTS, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Signs in through the sign-in page by pasting a token, as a person would. */
export async function signIn(page: Page, baseUrl: string, token: string): Promise<void> {
  await page.goto(`${baseUrl}#/signin`);
  const signOut = page.getByTestId('signout');
  if (await signOut.isVisible()) await signOut.click();
  await page.getByTestId('token-input').fill(token);
  await page.getByTestId('signin-button').click();
  await page.getByTestId('who').waitFor();
}

/** In-app navigation (keeps the tab's state, as clicking a link would). */
export async function go(page: Page, hash: string): Promise<void> {
  // The callback runs in the page; the suite's tsconfig has no DOM types, hence the narrow cast.
  await page.evaluate((target) => {
    (globalThis as unknown as { location: { hash: string } }).location.hash = target;
  }, hash);
}
