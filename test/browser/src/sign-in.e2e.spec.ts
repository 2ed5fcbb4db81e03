/**
 * Sign-in through the embedded OpenID provider (Authorization Code + PKCE from the dashboard, in Debian's
 * Chromium) against ledger-api run as its own process, as `npm start` runs it: oidc-provider is ESM-only
 * and jest cannot load it, and that is also the real set-up. The access tokens live 6 s here
 * (LEDGER_DEV_OIDC_TOKEN_TTL), so renewal and the end of a session happen within the test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { mintToken } from '@hz/auth';
import { Api, expectStatus } from './support/http';
import { CHROMIUM, CHROMIUM_ARGS } from './support/browser';
import { DASHBOARD_DIR, WORKSPACE, ensureDashboardBuilt, writeDemo } from './support/ledger';

const TOKEN_TTL_SECONDS = 6;
const PASSWORD = 'ledger-dev';
/** The demo's applicants #0 and #1 with seed 7, seeded as applicant-01 and applicant-02 (apps/ledger-api/src/oidc/dev-users.ts). */
const OWN_USCC = '91330100007UFM92K6';
const OTHER_USCC = '91330100007UFM92L9';

interface StoredUser {
  readonly access_token: string;
  readonly refresh_token?: string;
  readonly expires_at: number;
}

describe('sign-in through the embedded OpenID provider (browser, real service process)', () => {
  let server: ChildProcess;
  let output = '';
  let dataDir: string;
  let url: string;
  let api: string;
  let admin: Api;
  let browser: Browser;

  beforeAll(async () => {
    ensureDashboardBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'hz-signin-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      LEDGER_EVENT_STORE: 'sqlite',
      LEDGER_READ_STORE: 'sqlite',
      LEDGER_DATA_DIR: dataDir,
    };
    for (const name of [
      'LEDGER_JWKS_URL',
      'LEDGER_JWT_SECRET',
      'LEDGER_OIDC_ISSUER',
      'LEDGER_OIDC_CLIENT_ID',
      'NODE_ENV',
    ])
      delete env[name];
    await writeDemo(dataDir, env, 12);
    server = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/ledger-api/src/main.ts'], {
      cwd: WORKSPACE,
      env: {
        ...env,
        PORT: '0',
        LEDGER_HOST: '127.0.0.1',
        LEDGER_DASHBOARD_DIR: DASHBOARD_DIR,
        LEDGER_DEV_OIDC: '1',
        LEDGER_DEV_OIDC_TOKEN_TTL: String(TOKEN_TTL_SECONDS),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    server.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    url = await listeningUrl(() => output, server);
    api = `${url}/api/v1`;
    // Script tokens (HS256, the data dir's secret) keep working beside the provider's: the suite's oracle uses one.
    const secret = readFileSync(join(dataDir, 'jwt-secret'), 'utf8').trim();
    admin = new Api(
      api,
      await mintToken({ sub: 'suite-admin', roles: ['admin'], secret, ttl: 600 }),
    );
    await caughtUp(api);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [...CHROMIUM_ARGS],
    });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** A fresh browser context (no provider cookie, empty sessionStorage), as another person's browser. */
  async function freshPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 1440, height: 1000 },
    });
    return { context, page: await context.newPage() };
  }

  async function signInAs(page: Page, login: string): Promise<void> {
    await page.goto(`${url}/`);
    await page.getByTestId('oidc-signin').click();
    await page.waitForURL(/\/oidc\/interaction\//);
    await page.locator('#login').fill(login);
    await page.locator('#password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('who').waitFor({ timeout: 30_000 });
  }

  async function storedUser(page: Page): Promise<StoredUser> {
    const raw = await page.evaluate(() => {
      const storage = (
        globalThis as unknown as {
          sessionStorage: {
            length: number;
            key(index: number): string | null;
            getItem(key: string): string | null;
          };
        }
      ).sessionStorage;
      for (let index = 0; index < storage.length; index += 1) {
        const key = storage.key(index);
        if (key?.startsWith('oidc.user:')) return storage.getItem(key);
      }
      return null;
    });
    if (!raw) throw new Error('no signed-in user in sessionStorage');
    return JSON.parse(raw) as StoredUser;
  }

  async function navLinks(page: Page): Promise<string[]> {
    return page
      .locator('nav[aria-label=main] a')
      .evaluateAll((links) => links.map((link) => link.getAttribute('data-testid') ?? ''));
  }

  async function waitPastExpiry(page: Page): Promise<StoredUser> {
    const user = await storedUser(page);
    const waitMs = user.expires_at * 1000 - Date.now() + 1_500;
    if (waitMs > 0) await page.waitForTimeout(waitMs);
    return user;
  }

  it('offers 登录 through the provider, with the pasted token only as a folded developer fallback', async () => {
    const { context, page } = await freshPage();
    await page.goto(`${url}/`);
    await expect(page.getByTestId('oidc-signin').textContent()).resolves.toBe('登录');
    await expect(page.getByTestId('token-input').isVisible()).resolves.toBe(false);
    await page.getByTestId('dev-token').locator('summary').click();
    await expect(page.getByTestId('token-input').isVisible()).resolves.toBe(true);
    // A wrong password stays on the provider's page and says so.
    await page.getByTestId('oidc-signin').click();
    await page.waitForURL(/\/oidc\/interaction\//);
    await page.locator('#login').fill('reviewer-01');
    await page.locator('#password').fill('not-the-password');
    await page.getByTestId('login-submit').click();
    await expect(page.getByTestId('login-error').textContent()).resolves.toContain(
      '用户名或密码不正确',
    );
    await context.close();
  });

  it('a reviewer lands on the review queue, sees the claims waiting and no payment page', async () => {
    const { context, page } = await freshPage();
    await signInAs(page, 'reviewer-01');
    await page.locator('[data-view=queue]').waitFor();
    expect(page.url()).toBe(`${url}/#/queue`);
    await expect(page.getByTestId('who').textContent()).resolves.toContain('reviewer-01');
    expect(await navLinks(page)).toEqual([
      'nav-overview',
      'nav-district',
      'nav-applicant',
      'nav-queue',
    ]);
    const waiting = await admin.get<{ items: Array<{ claimId: string }> }>('/claims', {
      status: 'submitted',
      limit: 1,
    });
    expectStatus(waiting, 200, 'queue');
    const first = waiting.body.items[0];
    if (first) await page.getByTestId('queue-table-submitted').getByText(first.claimId).waitFor();
    else await page.getByTestId('queue-submitted').getByText('暂无数据').waitFor();
    await expect(page.getByTestId('error-notice').count()).resolves.toBe(0);
    await context.close();
  });

  it('a finance officer lands on the payment page', async () => {
    const { context, page } = await freshPage();
    await signInAs(page, 'finance-01');
    await page.locator('[data-view=finance]').waitFor();
    expect(page.url()).toBe(`${url}/#/finance`);
    expect(await navLinks(page)).toEqual([
      'nav-overview',
      'nav-district',
      'nav-applicant',
      'nav-queue',
      'nav-finance',
    ]);
    await context.close();
  });

  it('an auditor lands on the overview (read-only: no payment page)', async () => {
    const { context, page } = await freshPage();
    await signInAs(page, 'auditor-01');
    await page.locator('[data-view=overview][data-ready=true]').waitFor({ timeout: 30_000 });
    expect(page.url()).toBe(`${url}/#/overview`);
    expect(await navLinks(page)).not.toContain('nav-finance');
    await expect(page.getByTestId('error-notice').count()).resolves.toBe(0);
    await context.close();
  });

  it('an applicant lands on its own record and is refused another applicant’s', async () => {
    const { context, page } = await freshPage();
    await signInAs(page, 'applicant-01');
    await page.getByTestId('applicant-profile').waitFor({ timeout: 30_000 });
    expect(page.url()).toBe(`${url}/#/applicant/${OWN_USCC}`);
    expect(await navLinks(page)).toEqual(['nav-applicant']);
    const own = await admin.get<{ name: string }>(`/applicants/${OWN_USCC}`);
    expectStatus(own, 200, 'own applicant');
    await expect(page.getByTestId('applicant-name').textContent()).resolves.toBe(own.body.name);
    const other = await admin.get<{ name: string }>(`/applicants/${OTHER_USCC}`);
    expectStatus(other, 200, 'other applicant');
    await page.goto(`${url}/#/applicant/${OTHER_USCC}`);
    const refusal = page.getByTestId('error-notice').first();
    await refusal.waitFor();
    await expect(refusal.getAttribute('data-error-code')).resolves.toBe('AUTH.NOT_YOUR_APPLICANT');
    await expect(page.getByTestId('applicant-name').count()).resolves.toBe(0);
    await expect(page.getByText(other.body.name).count()).resolves.toBe(0);
    await context.close();
  });

  it('an expired access token is renewed silently, on the next page and on a reload, with a new token the API accepts', async () => {
    const { context, page } = await freshPage();
    await signInAs(page, 'finance-01');
    await page.locator('[data-view=finance]').waitFor();
    const before = await waitPastExpiry(page);
    expect(before.refresh_token).toEqual(expect.any(String));
    await page.getByTestId('nav-queue').click();
    await page
      .getByTestId('queue-submitted')
      .locator('table, p.muted')
      .first()
      .waitFor({ timeout: 30_000 });
    const after = await storedUser(page);
    expect(after.access_token).not.toBe(before.access_token);
    expect(after.expires_at).toBeGreaterThan(before.expires_at);
    await expect(page.getByTestId('signin-expired').count()).resolves.toBe(0);
    await expect(page.getByTestId('error-notice').count()).resolves.toBe(0);
    const fresh = await new Api(api, after.access_token).get('/claims', { limit: 1 });
    expect(fresh.status).toBe(200);
    // A reload with an expired access token renews too, instead of asking to sign in again.
    const beforeReload = await waitPastExpiry(page);
    await page.reload();
    await page
      .getByTestId('queue-submitted')
      .locator('table, p.muted')
      .first()
      .waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('who').textContent()).resolves.toContain('finance-01');
    expect((await storedUser(page)).access_token).not.toBe(beforeReload.access_token);
    await context.close();
  });

  it('when the provider session has ended elsewhere, the expired session is sent back to sign-in', async () => {
    const { context, page } = await freshPage();
    await signInAs(page, 'finance-01');
    await page.locator('[data-view=finance]').waitFor();
    // Signed out at the provider in another tab of the same browser.
    const other = await context.newPage();
    await other.goto(`${url}/oidc/session/end`);
    await other.getByTestId('logout-confirm').click();
    await other.getByText('已退出登录').waitFor();
    await other.close();
    await waitPastExpiry(page);
    await page.getByTestId('nav-queue').click();
    await page.getByTestId('signin-expired').waitFor({ timeout: 30_000 });
    expect(page.url()).toBe(`${url}/#/signin`);
    await expect(page.getByTestId('who').count()).resolves.toBe(0);
    await page.getByTestId('oidc-signin').click();
    await page.waitForURL(/\/oidc\/interaction\//);
    await context.close();
  });

  it('the service wrote JSON lines only, the provider’s own notices included', () => {
    const lines = output.split('\n').filter((line) => line.trim().length > 0);
    const notJson = lines.filter((line) => {
      try {
        return typeof JSON.parse(line) !== 'object';
      } catch {
        return true;
      }
    });
    expect(notJson).toEqual([]);
    expect(lines.map((line) => (JSON.parse(line) as { event?: string }).event)).toContain(
      'oidc.dev_provider.notice',
    );
  });

  it('sign-out ends the provider session too: signing in again asks for the password', async () => {
    const { context, page } = await freshPage();
    await signInAs(page, 'reviewer-02');
    await page.locator('[data-view=queue]').waitFor();
    await page.getByTestId('signout').click();
    await page.getByTestId('logout-confirm').click();
    await page.getByTestId('oidc-signin').waitFor();
    expect(page.url().startsWith(`${url}/`)).toBe(true);
    await expect(page.getByTestId('who').count()).resolves.toBe(0);
    await page.getByTestId('oidc-signin').click();
    await page.waitForURL(/\/oidc\/interaction\//);
    await expect(page.locator('#password').isVisible()).resolves.toBe(true);
    await context.close();
  });
});

async function listeningUrl(
  output: () => string,
  server: ChildProcess,
  timeoutMs = 120_000,
): Promise<string> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const match = /listening on (http:\/\/[0-9.:]+)/.exec(output());
    if (match?.[1]) return match[1];
    if (server.exitCode !== null)
      throw new Error(`ledger-api exited with ${server.exitCode}: ${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`ledger-api did not start in ${timeoutMs} ms: ${output()}`);
}

async function caughtUp(api: string, timeoutMs = 120_000): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const body = (await (await fetch(`${api}/health/ready`)).json()) as {
      projections?: { state?: string };
    };
    if (body.projections?.state === 'caught_up' || body.projections?.state === 'absent') return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the projections did not catch up');
}
