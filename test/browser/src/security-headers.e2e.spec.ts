/**
 * Issue 11, item 7: the dashboard (React + ECharts) and the Swagger UI page work under ledger-api's
 * Content-Security-Policy (libs/api/src/http/security-headers.ts) in Debian's Chromium, with no CSP
 * violation, and the production dashboard build publishes no source map (docs/decisions.md, "HTTP edge").
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openBrowser, signIn, type BrowserSession } from './support/browser';
import { Api } from './support/http';
import { DASHBOARD_DIR, startLedger, type LedgerUnderTest } from './support/ledger';
import { drawEveryChart, viewStops, visit } from './support/views';

/** Violations the page reported through `securitypolicyviolation` events (recorded by an init script). */
async function violations(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    ((globalThis as unknown as { __cspViolations?: string[] }).__cspViolations ?? []).slice(),
  );
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('security headers in the browser (CSP)', () => {
  let ledger: LedgerUnderTest;
  let browser: BrowserSession;
  let origin: string;

  beforeAll(async () => {
    ledger = await startLedger({ applicants: 120 });
    origin = new URL(ledger.url).origin;
    browser = await openBrowser();
    await browser.context.addInitScript(() => {
      const scope = globalThis as unknown as {
        __cspViolations: string[];
        document: {
          addEventListener(
            type: string,
            listener: (event: {
              violatedDirective: string;
              blockedURI: string;
              sourceFile: string;
            }) => void,
          ): void;
        };
      };
      scope.__cspViolations = [];
      scope.document.addEventListener('securitypolicyviolation', (event) =>
        scope.__cspViolations.push(
          `${event.violatedDirective} blocked ${event.blockedURI || '(inline)'} in ${event.sourceFile || 'the document'}`,
        ),
      );
    });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await ledger?.stop();
  });

  it('renders every dashboard view and its charts (tooltips too) under the policy with no violation', async () => {
    const { page } = browser;
    browser.drainErrors();
    const response = await page.goto(ledger.url);
    const csp = (await response?.allHeaders())?.['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/'unsafe-eval'/);
    await signIn(
      page,
      ledger.url,
      await ledger.token('csp-walker', ['reviewer', 'finance', 'auditor']),
    );
    const stops = await viewStops(new Api(ledger.api, await ledger.token('root-admin', ['admin'])));
    const seen: string[] = [];
    for (const stop of stops) {
      await visit(page, stop);
      await drawEveryChart(page);
      // Hover every chart: ECharts writes its tooltip with style attributes.
      for (const canvas of await page.locator('.chart-canvas').all()) {
        await canvas.scrollIntoViewIfNeeded();
        const box = await canvas.boundingBox();
        if (box) await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
        await page.waitForTimeout(150);
      }
      seen.push(stop.name);
      expect({ view: stop.name, violations: await violations(page) }).toEqual({
        view: stop.name,
        violations: [],
      });
    }
    expect(seen).toEqual(stops.map((stop) => stop.name));
    expect(browser.drainErrors()).toEqual([]);
  });

  it('renders the Swagger UI page at /api/docs, operations expanded, with no violation and no inline script allowed', async () => {
    const { page } = browser;
    browser.drainErrors();
    const response = await page.goto(`${origin}/api/docs`);
    const csp = (await response?.allHeaders())?.['content-security-policy'] ?? '';
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    await page.locator('.opblock').first().waitFor({ timeout: 30_000 });
    expect(await page.locator('.opblock').count()).toBeGreaterThan(10);
    await page.locator('.opblock-summary').first().click();
    await page.locator('.opblock-body').first().waitFor();
    await page.waitForTimeout(300);
    expect(await violations(page)).toEqual([]);
    expect(browser.drainErrors()).toEqual([]);
  });

  it('publishes no source map: none in the build, none referenced, none served', async () => {
    const files = filesUnder(DASHBOARD_DIR);
    expect(files.filter((file) => /\.map(\.(br|gz))?$/.test(file))).toEqual([]);
    const scripts = files.filter((file) => file.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    for (const file of scripts)
      expect({ file, mapped: /sourceMappingURL=/.test(readFileSync(file, 'utf8')) }).toEqual({
        file,
        mapped: false,
      });
    const first = scripts[0]?.slice(DASHBOARD_DIR.length) ?? '';
    expect((await fetch(`${origin}${first}`)).status).toBe(200);
    expect((await fetch(`${origin}${first}.map`)).status).toBe(404);
  });
});
