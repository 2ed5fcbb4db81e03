/**
 * The dashboard finished in Chinese (issue 16): every view of a demo ledger, walked in Debian's Chromium
 * in zh-CN, shows no Latin-only text outside codes, identifiers and marked English, and no ISO instant;
 * times are Beijing wall-clock times; a refusal reads as a Chinese sentence; free text is isolated (bdi);
 * the overview opens on the latest year with commitments and draws 15 treasuries as a few series.
 * Screenshots of every view (desktop) go to test-artifacts/screens/.
 */
import { Api, expectStatus } from './support/http';
import { openBrowser, signIn, type BrowserSession } from './support/browser';
import { startLedger, type LedgerUnderTest } from './support/ledger';
import { registerApplicant } from './support/scenario';
import {
  drawEveryChart,
  scanText,
  screenshot,
  viewStops,
  visit,
  type ViewStop,
} from './support/views';

const DEMO_APPLICANTS = 96;
/** Short codes that are fine on a Chinese page (none are needed today; the list is where they would go). */
const ALLOWED_LATIN: readonly string[] = [];

describe('the dashboard in zh-CN (browser, real service, demo ledger)', () => {
  let ledger: LedgerUnderTest & { demoSummary: string };
  let browser: BrowserSession;
  let staff: Api;
  let admin: Api;
  let stops: ViewStop[];
  let staffToken = '';

  beforeAll(async () => {
    ledger = await startLedger({ applicants: DEMO_APPLICANTS });
    staffToken = await ledger.token('zh-walker', ['reviewer', 'finance', 'auditor']);
    staff = new Api(ledger.api, staffToken);
    admin = new Api(ledger.api, await ledger.token('zh-admin', ['admin']));
    stops = await viewStops(staff);
    browser = await openBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await ledger?.stop();
  });

  it('shows the sign-in page in Chinese', async () => {
    const { page } = browser;
    await page.goto(`${ledger.url}#/signin`);
    await page.getByTestId('token-input').waitFor();
    const found = await scanText(page, ALLOWED_LATIN);
    expect(found.textNodes).toBeGreaterThan(5);
    expect(found.latinOnly).toEqual([]);
    expect(found.isoTimes).toEqual([]);
    await screenshot(page, 'signin-desktop');
  });

  it('walks every view in zh-CN: no Latin-only text outside codes and identifiers, no ISO times', async () => {
    const { page } = browser;
    await signIn(page, ledger.url, staffToken);
    const problems: Record<string, { latinOnly: string[]; isoTimes: string[] }> = {};
    for (const stop of stops) {
      await visit(page, stop);
      await drawEveryChart(page);
      const found = await scanText(page, ALLOWED_LATIN);
      expect(found.textNodes).toBeGreaterThan(20);
      if (found.latinOnly.length > 0 || found.isoTimes.length > 0)
        problems[stop.name] = {
          latinOnly: found.latinOnly.slice(0, 20),
          isoTimes: found.isoTimes.slice(0, 5),
        };
      await screenshot(page, `${stop.name}-desktop`);
    }
    expect(problems).toEqual({});
  });

  it('shows the assessment, evidence, caps and history of a claim in Chinese words with the codes beside them', async () => {
    const { page } = browser;
    const paid = stops.find((stop) => stop.name === 'claim-paid') as ViewStop;
    await visit(page, paid);
    const steps = await page
      .getByTestId('assessment-trace')
      .locator('tbody tr td:nth-child(2)')
      .allInnerTexts();
    expect(steps.length).toBeGreaterThan(2);
    for (const step of steps) expect(step).toMatch(/[\u4e00-\u9fff]/);
    const sentences = await page
      .getByTestId('assessment-trace')
      .locator('tbody tr td:nth-child(4)')
      .allInnerTexts();
    for (const sentence of sentences) expect(sentence).toMatch(/[\u4e00-\u9fff]/);
    const fields = await page.getByTestId('evidence').locator('dt').allInnerTexts();
    expect(fields.length).toBeGreaterThan(0);
    for (const field of fields) expect(field).toMatch(/[\u4e00-\u9fff]/);
    const events = await page
      .getByTestId('claim-history')
      .locator('tbody tr td:nth-child(3)')
      .allInnerTexts();
    for (const event of events) expect(event).toMatch(/^[\u4e00-\u9fff]+ [A-Z][A-Za-z]+$/);
  });

  it('shows every recorded time as Beijing wall-clock time', async () => {
    const { page } = browser;
    const paid = stops.find((stop) => stop.name === 'claim-paid') as ViewStop;
    await visit(page, paid);
    const cells = await page
      .getByTestId('claim-history')
      .locator('td.time')
      .evaluateAll((nodes) =>
        nodes.map((node) => [node.getAttribute('data-iso') ?? '', (node.textContent ?? '').trim()]),
      );
    expect(cells.length).toBeGreaterThan(1);
    for (const [iso, shown] of cells) {
      expect(shown).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      // Beijing is UTC+8 all year (no daylight saving).
      const beijing = new Date(Date.parse(iso as string) + 8 * 3_600_000)
        .toISOString()
        .replace('T', ' ')
        .slice(0, 19);
      expect(shown).toBe(beijing);
    }
  });

  it('explains a refusal in a Chinese sentence, with the stable code beside it', async () => {
    const { page } = browser;
    await visit(page, {
      name: 'missing-claim',
      hash: '#/claims/CLAIM-DOES-NOT-EXIST',
      ready: '[data-testid=error-notice] >> nth=0',
    });
    const notice = page.getByTestId('error-notice').first();
    const code = await notice.getAttribute('data-error-code');
    expect(code).toMatch(/^[A-Z]+\.[A-Z_]+$/);
    expect(await notice.locator('.sentence').innerText()).toMatch(/[\u4e00-\u9fff]/);
    const found = await scanText(page, ALLOWED_LATIN);
    expect(found.latinOnly).toEqual([]);
    await screenshot(page, 'refusal-desktop');
  });

  it('isolates free text, so right-to-left text in a name cannot reorder the page around it', async () => {
    const { page } = browser;
    // The API refuses bidi control characters (FIELD.FORBIDDEN_CHARACTER); strong right-to-left letters
    // are legitimate in a name and still reorder neighbouring numbers unless the name is isolated.
    const name = 'شركة 杭州阿语名称测试有限公司 2024';
    const uscc = await registerApplicant(admin, 'xihu', name);
    await visit(page, {
      name: 'rlo',
      hash: `#/applicant/${uscc}`,
      ready: '[data-testid=applicant-name] >> nth=0',
    });
    const isolation = await page.getByTestId('applicant-name').evaluate((element) => {
      type El = {
        textContent: string | null;
        querySelector(selector: string): El | null;
        tagName: string;
      };
      const bdi = (element as unknown as El).querySelector('bdi');
      const style = bdi
        ? (
            globalThis as unknown as { getComputedStyle(element: unknown): { unicodeBidi: string } }
          ).getComputedStyle(bdi)
        : null;
      return {
        tag: bdi?.tagName ?? null,
        text: bdi?.textContent ?? null,
        unicodeBidi: style?.unicodeBidi ?? null,
      };
    });
    expect(isolation).toEqual({ tag: 'BDI', text: name, unicodeBidi: 'isolate' });
  });

  it('opens the overview on the latest year with commitments and draws 15 treasuries as a few series', async () => {
    const { page } = browser;
    const years = await staff.get<{ rows: Array<{ period: string; committed: string }> }>(
      '/projections/fiscal-obligations',
      { period: 'year', from: '2023', to: String(new Date().getUTCFullYear() + 1) },
    );
    expectStatus(years, 200, 'fiscal years');
    const committedYears = years.body.rows
      .filter((row) => row.committed !== '0.00')
      .map((row) => Number(row.period.slice(0, 4)));
    const expected = Math.max(...committedYears);
    await page.goto(`${ledger.url}#/overview`);
    await page.reload();
    await page.locator('[data-view=overview][data-ready=true]').waitFor({ timeout: 60_000 });
    expect(Number(await page.locator('[data-view=overview]').getAttribute('data-year'))).toBe(
      expected,
    );
    const committed = page.getByTestId('chart-committed');
    const all = JSON.parse((await committed.getAttribute('data-chart')) ?? '{}') as {
      series: unknown[];
    };
    const drawn = Number(await committed.getAttribute('data-series-drawn'));
    expect(all.series.length).toBeGreaterThan(6);
    expect(drawn).toBeLessThanOrEqual(6);
    expect(drawn).toBeGreaterThan(1);
  });

  it('keeps the English switch', async () => {
    const { page } = browser;
    await visit(page, stops[0] as ViewStop);
    await page.getByTestId('lang-switch').click();
    await page.getByTestId('nav-overview').getByText('Overview').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByTestId('lang-switch').click();
    await page.getByTestId('nav-overview').getByText('总览').waitFor();
  });
});
