/**
 * The dashboard on phones and slow links (issue 16): at 360 and 390 CSS px no view scrolls sideways
 * (document.scrollingElement.scrollWidth ≤ innerWidth), and the service sends the build's precompressed
 * assets with immutable caching while index.html is revalidated. Phone screenshots of every view go to
 * test-artifacts/screens/.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Api } from './support/http';
import { openBrowser, signIn, type BrowserSession } from './support/browser';
import { DASHBOARD_DIR, startLedger, type LedgerUnderTest } from './support/ledger';
import {
  drawEveryChart,
  overflow,
  screenshot,
  viewStops,
  visit,
  type ViewStop,
} from './support/views';

const DEMO_APPLICANTS = 96;
const PHONES = [
  { width: 390, height: 844 },
  { width: 360, height: 740 },
] as const;
/** The budget for the JavaScript the first page load needs (the entry and what it preloads), gzipped. */
const INITIAL_JS_GZIP_MAX = 200 * 1024;

describe('the dashboard on a phone (browser, real service, demo ledger)', () => {
  let ledger: LedgerUnderTest & { demoSummary: string };
  let browser: BrowserSession;
  let stops: ViewStop[];
  let staffToken = '';

  beforeAll(async () => {
    ledger = await startLedger({ applicants: DEMO_APPLICANTS });
    staffToken = await ledger.token('phone-walker', ['reviewer', 'finance', 'auditor']);
    stops = await viewStops(new Api(ledger.api, staffToken));
    browser = await openBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await ledger?.stop();
  });

  for (const phone of PHONES) {
    it(`does not scroll sideways on any view at ${phone.width} px`, async () => {
      const { page } = browser;
      await page.setViewportSize(phone);
      await page.goto(`${ledger.url}#/signin`);
      await page.getByTestId('token-input').waitFor();
      const wide: Record<string, unknown> = {};
      const signin = await overflow(page);
      if (signin.scrollWidth > signin.innerWidth) wide['signin'] = signin;
      if (phone.width === 390) await screenshot(page, 'signin-phone');
      await signIn(page, ledger.url, staffToken);
      for (const stop of stops) {
        await visit(page, stop);
        await drawEveryChart(page);
        const measured = await overflow(page);
        expect(measured.innerWidth).toBe(phone.width);
        if (measured.scrollWidth > measured.innerWidth) wide[stop.name] = measured;
        if (phone.width === 390) await screenshot(page, `${stop.name}-phone`);
      }
      expect(wide).toEqual({});
    });
  }

  it('serves hashed assets precompressed and immutable, and index.html revalidated', async () => {
    const index = await fetch(ledger.url, { headers: { 'Accept-Encoding': 'br, gzip' } });
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const html = await index.text();
    const scripts = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+\.js)"/g)].map(
      (match) => match[1] as string,
    );
    expect(scripts.length).toBeGreaterThan(0);

    let initialGzip = 0;
    let initialRaw = 0;
    for (const asset of scripts) {
      for (const [accept, coding] of [
        ['br', 'br'],
        ['gzip', 'gzip'],
      ] as const) {
        const response = await fetch(`${ledger.url}${asset}`, {
          headers: { 'Accept-Encoding': accept },
        });
        expect(response.status).toBe(200);
        expect(response.headers.get('content-encoding')).toBe(coding);
        expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
        expect(response.headers.get('vary')).toMatch(/Accept-Encoding/i);
        expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
        // fetch decodes the body: it must be the built file, byte for byte.
        expect(
          Buffer.from(await response.arrayBuffer()).equals(
            readFileSync(join(DASHBOARD_DIR, asset)),
          ),
        ).toBe(true);
      }
      initialGzip += statSync(join(DASHBOARD_DIR, `${asset}.gz`)).size;
      initialRaw += statSync(join(DASHBOARD_DIR, asset)).size;
    }
    const identity = await fetch(`${ledger.url}${scripts[0]}`, {
      headers: { 'Accept-Encoding': 'identity' },
    });
    expect(identity.headers.get('content-encoding')).toBeNull();
    process.stdout.write(
      `initial JS (index.html's script and modulepreloads): ${initialRaw} bytes raw, ${initialGzip} bytes gzipped\n`,
    );
    expect(initialGzip).toBeLessThanOrEqual(INITIAL_JS_GZIP_MAX);

    // Whatever the dashboard is not does not turn into a file: the API answers with its own 404.
    const api = await fetch(`${ledger.url}api/v1/no-such-route`);
    expect(api.status).toBe(404);
    expect(((await api.json()) as { error?: { code?: string } }).error?.code).toBeDefined();
  });
});
