/**
 * The dashboard in Debian's Chromium against the real ledger-api on a deterministic demo ledger.
 * Figures are checked against what the API itself answers for the same query, never against constants
 * copied from the UI, and as strings (the UI must show money exactly as the API gives it).
 */
import type { Page } from 'playwright-core';
import { Api, expectStatus } from './support/http';
import {
  go,
  openBrowser,
  signIn,
  SCREENSHOTS,
  type BrowserSession,
  type ConsoleEntry,
} from './support/browser';
import { startLedger, type LedgerUnderTest } from './support/ledger';
import { fileClaim, registerApplicant, type FiledClaim } from './support/scenario';

const DEMO_APPLICANTS = 200;
const MEASURES = ['committed', 'disbursed', 'outstanding', 'receivable'] as const;

interface ChartData {
  readonly categories: string[];
  readonly series: Array<{ key: string; label: string; values: string[] }>;
}

interface FiscalRow {
  readonly funder: string;
  readonly period: string;
  readonly [figure: string]: string;
}

function toFen(amount: string): bigint {
  const [whole, fraction = ''] = amount.split('.');
  return BigInt(whole ?? '0') * 100n + BigInt(fraction.padEnd(2, '0'));
}

function fromFen(fen: bigint): string {
  return `${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`;
}

function funderKey(funder: string): string {
  return funder === 'city' ? 'city' : `district:${funder}`;
}

function beijingToday(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

async function chartData(page: Page, id: string): Promise<ChartData> {
  const raw = await page.getByTestId(`chart-${id}`).getAttribute('data-chart');
  if (!raw) throw new Error(`chart ${id} exposes no data`);
  return JSON.parse(raw) as ChartData;
}

async function waitReady(page: Page, view: string): Promise<void> {
  await page.locator(`[data-view=${view}][data-ready=true]`).waitFor({ timeout: 30_000 });
}

describe('dashboard (browser, real service, demo ledger)', () => {
  let ledger: LedgerUnderTest & { demoSummary: string };
  let browser: BrowserSession;
  let admin: Api;
  let auditorApi: Api;
  const tokens: Record<'reviewer' | 'reviewer2' | 'finance' | 'auditor' | 'admin', string> = {
    reviewer: '',
    reviewer2: '',
    finance: '',
    auditor: '',
    admin: '',
  };
  /** Console lines a test expects (e.g. the browser's own line for a refused request). */
  let expectedConsole: RegExp[] = [];

  beforeAll(async () => {
    const started = Date.now();
    ledger = await startLedger({ applicants: DEMO_APPLICANTS });
    process.stdout.write(
      `browser suite: ${ledger.demoSummary.split('\n')[0]}; service up after ${Date.now() - started} ms at ${ledger.url}\n`,
    );
    tokens.reviewer = await ledger.token('rita-reviewer', ['reviewer']);
    tokens.reviewer2 = await ledger.token('rob-reviewer', ['reviewer']);
    tokens.finance = await ledger.token('fay-finance', ['finance']);
    tokens.auditor = await ledger.token('aud-auditor', ['auditor']);
    tokens.admin = await ledger.token('root-admin', ['admin']);
    admin = new Api(ledger.api, tokens.admin);
    auditorApi = new Api(ledger.api, tokens.auditor);
    browser = await openBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await ledger?.stop();
  });

  beforeEach(() => {
    expectedConsole = [];
    browser?.drainErrors();
  });

  afterEach(() => {
    if (!browser) return;
    const unexpected = browser
      .drainErrors()
      .filter(
        (entry: ConsoleEntry) => !expectedConsole.some((pattern) => pattern.test(entry.text)),
      );
    expect(unexpected).toEqual([]);
  });

  /** The API's own answer for a fiscal query, as the auditor sees it. */
  async function fiscal(query: Record<string, string | undefined>): Promise<FiscalRow[]> {
    const reply = await auditorApi.get<{ rows: FiscalRow[] }>(
      '/projections/fiscal-obligations',
      query,
    );
    expectStatus(reply, 200, 'fiscal obligations');
    return reply.body.rows;
  }

  it('loads the overview and its charts show exactly the API figures (render time printed)', async () => {
    const { page } = browser;
    await page.goto(ledger.url);
    await page.getByTestId('token-input').waitFor();
    await browser.screenshot('01-signin');
    await signIn(page, ledger.url, tokens.auditor);

    // Render time: a full page load of the overview until every chart has drawn the API's data.
    const loadStarted = Date.now();
    await page.goto(`${ledger.url}#/overview`);
    await page.reload();
    await waitReady(page, 'overview');
    const wallMs = Date.now() - loadStarted;
    const appMs = await page.locator('[data-view=overview]').getAttribute('data-render-ms');
    await page.getByTestId('year-picker').selectOption('2024');
    await page.locator('[data-view=overview][data-year="2024"][data-ready=true]').waitFor();
    const yearMs = await page.locator('[data-view=overview]').getAttribute('data-render-ms');
    process.stdout.write(
      `overview render time on the demo ledger (${DEMO_APPLICANTS} applicants): ${wallMs} ms from page load to charts drawn; ` +
        `app-measured ${appMs} ms (data requests + 4 charts), ${yearMs} ms after switching to 2024\n`,
    );

    const months = await fiscal({ period: 'month', from: '2024-01', to: '2024-12' });
    expect(months.length).toBeGreaterThan(0);
    for (const measure of MEASURES) {
      const chart = await chartData(page, measure);
      expect(chart.categories).toEqual(
        Array.from({ length: 12 }, (_, index) => `2024-${String(index + 1).padStart(2, '0')}`),
      );
      const expected = new Map<string, string[]>();
      for (const row of months) {
        const values = expected.get(funderKey(row.funder)) ?? chart.categories.map(() => '0.00');
        values[chart.categories.indexOf(row.period)] = row[measure] as string;
        expected.set(funderKey(row.funder), values);
      }
      expect(Object.fromEntries(chart.series.map((series) => [series.key, series.values]))).toEqual(
        Object.fromEntries(expected),
      );
      // The data table under the chart shows the same strings.
      const cells = await page
        .getByTestId(`chart-table-${measure}`)
        .locator('td[data-value]')
        .evaluateAll((nodes) =>
          nodes.map((node) => [
            node.getAttribute('data-series'),
            node.getAttribute('data-category'),
            node.getAttribute('data-value'),
          ]),
        );
      for (const [series, category, value] of cells)
        expect(value).toBe(
          expected.get(series as string)?.[chart.categories.indexOf(category as string)],
        );
    }

    const years = await fiscal({ period: 'year', from: '2024', to: '2024' });
    for (const row of years) {
      const cells = page
        .getByTestId('totals-table')
        .locator(`tr[data-funder="${funderKey(row.funder)}"] td[data-measure]`);
      const shown = Object.fromEntries(
        await cells.evaluateAll((nodes) =>
          nodes.map((node) => [node.getAttribute('data-measure'), node.getAttribute('data-value')]),
        ),
      );
      // Every figure the API gives for the funder's year, each shown exactly, and nothing else.
      const { funder: _funder, period: _period, ...figures } = row;
      expect(shown).toEqual(figures);
    }
    await browser.screenshot('02-overview-2024');
  });

  it('stacks the overview by policy clause with exactly the API figures', async () => {
    const { page } = browser;
    await go(page, '#/overview');
    await waitReady(page, 'overview');
    await page.getByTestId('year-picker').selectOption('2024');
    await page.locator('[data-view=overview][data-year="2024"][data-ready=true]').waitFor();
    await page.getByTestId('stack-clause').check();
    const rows = await fiscal({
      period: 'month',
      from: '2024-01',
      to: '2024-12',
      groupBy: 'clause',
    });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => typeof row['clause'] === 'string' && row['clause'] !== '')).toBe(
      true,
    );
    for (const measure of MEASURES) {
      const expectedFen = new Map<string, bigint[]>();
      for (const row of rows) {
        const line =
          expectedFen.get(row['clause'] as string) ?? Array.from({ length: 12 }, () => 0n);
        line[Number(row.period.slice(5, 7)) - 1] =
          (line[Number(row.period.slice(5, 7)) - 1] ?? 0n) + toFen(row[measure] as string);
        expectedFen.set(row['clause'] as string, line);
      }
      const expected = Object.fromEntries(
        [...expectedFen].map(([clause, line]) => [clause, line.map(fromFen)]),
      );
      // The charts redraw after the switch: wait until they show the clause series.
      let chart = await chartData(page, measure);
      for (
        let attempt = 0;
        attempt < 100 &&
        chart.series
          .map((series) => series.key)
          .sort()
          .join('|') !== Object.keys(expected).sort().join('|');
        attempt += 1
      ) {
        await page.waitForTimeout(100);
        chart = await chartData(page, measure);
      }
      expect(Object.fromEntries(chart.series.map((series) => [series.key, series.values]))).toEqual(
        expected,
      );
    }
    await browser.screenshot('02b-overview-2024-by-clause');
    await page.locator('input[name=stack]').first().check();
  });

  it('shows the ledger as it stood on the date chosen in the asOf picker', async () => {
    const { page } = browser;
    await signIn(page, ledger.url, tokens.auditor);
    await go(page, '#/overview');
    await page.getByTestId('year-picker').selectOption('2024');
    await page.locator('[data-view=overview][data-year="2024"][data-ready=true]').waitFor();
    const now = await chartData(page, 'disbursed');

    // The demo decides in September and pays from November: at the end of 30 September 2024 nothing was paid yet.
    await page.getByTestId('asof-picker').fill('2024-09-30');
    await page.locator('[data-view=overview][data-asof^="2024-09-30"][data-ready=true]').waitFor();
    const asOf = (await page.locator('[data-view=overview]').getAttribute('data-asof')) ?? '';
    expect(asOf).toBe('2024-09-30T15:59:59.999Z');
    const then = await chartData(page, 'disbursed');
    const committedThen = await chartData(page, 'committed');
    const total = (data: ChartData): bigint =>
      data.series.reduce(
        (sum, series) => sum + series.values.reduce((inner, value) => inner + toFen(value), 0n),
        0n,
      );
    expect(total(now)).toBeGreaterThan(0n);
    expect(total(then)).toBe(0n);
    expect(total(committedThen)).toBeGreaterThan(0n);

    // And the figures are the API's for that asOf.
    const rows = await fiscal({ period: 'month', from: '2024-01', to: '2024-12', asOf });
    const expectedCommitted = new Map<string, bigint>();
    for (const row of rows)
      expectedCommitted.set(
        funderKey(row.funder),
        (expectedCommitted.get(funderKey(row.funder)) ?? 0n) + toFen(row['committed'] as string),
      );
    for (const series of committedThen.series)
      expect(fromFen(series.values.reduce((sum, value) => sum + toFen(value), 0n))).toBe(
        fromFen(expectedCommitted.get(series.key) ?? 0n),
      );
    await browser.screenshot('03-overview-asof-2024-09-30');

    await page.getByTestId('asof-picker').fill('');
    await page.locator('[data-view=overview][data-asof=""][data-ready=true]').waitFor();
    expect(await chartData(page, 'disbursed')).toEqual(now);
  });

  it('finds an applicant by a part of its name, as the API does, and opens it', async () => {
    const { page } = browser;
    const name = '杭州滨江名称检索测试有限公司';
    const uscc = await registerApplicant(admin, 'binjiang', name);
    await signIn(page, ledger.url, tokens.reviewer);
    await go(page, '#/applicant');
    const api = new Api(ledger.api, tokens.reviewer);
    let expected: string[] = [];
    for (let attempt = 0; attempt < 50 && !expected.includes(uscc); attempt += 1) {
      const reply = await api.get<{ items: Array<{ uscc: string }> }>('/applicants', {
        name: '名称检索',
      });
      expectStatus(reply, 200, 'applicant search');
      expected = reply.body.items.map((item) => item.uscc);
      if (!expected.includes(uscc)) await page.waitForTimeout(100);
    }
    expect(expected).toContain(uscc);
    await page.getByTestId('applicant-search').fill('名称检索');
    await page.getByTestId('applicant-search-button').click();
    const items = page.getByTestId('applicant-matches').locator('li[data-uscc]');
    await items.first().waitFor();
    expect(
      await items.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-uscc'))),
    ).toEqual(expected);
    await page.getByTestId('applicant-matches').locator(`li[data-uscc="${uscc}"] a`).click();
    await expect(page.getByTestId('applicant-name').textContent()).resolves.toContain(name);
  });

  let approved: FiledClaim;
  const DISTRICT = 'xiaoshan';

  it('a claim approved from the review queue moves the cap bar and the district obligation', async () => {
    const { page } = browser;
    const uscc = await registerApplicant(admin, DISTRICT, '杭州萧山跨境品牌测试有限公司');
    const applicantApi = new Api(
      ledger.api,
      await ledger.token(`user-${uscc}`, ['applicant'], uscc),
    );
    approved = await fileClaim(applicantApi, uscc, 'c4-brand-promotion', 2024, '100000.00', {
      items: [{ date: '2024-03-01', amount: '400000.00', channel: 'social-media' }],
    });
    expect(approved.ceiling).toBe('100000.00');
    const thisYear = beijingToday().slice(0, 4);

    await signIn(page, ledger.url, tokens.reviewer);
    // Before: the applicant's 2024 brand-promotion cap has nothing granted.
    await go(page, `#/applicant/${uscc}`);
    await page.getByTestId('applicant-name').waitFor();
    await page.getByTestId('year-picker').selectOption('2024');
    const capRow = page.locator('[data-testid=cap-row][data-program="c4-brand-promotion"]');
    const grantedBefore =
      (await capRow.count()) > 0 ? await capRow.getAttribute('data-granted') : '0.00';
    expect(grantedBefore).toBe('0.00');

    // Before: the district's obligations this year, and its fiscal group (萧山区 is group B: 25/75).
    await go(page, `#/district/${DISTRICT}`);
    await page.getByTestId('year-picker').selectOption(thisYear);
    await page
      .locator(`[data-view=district][data-district=${DISTRICT}][data-ready=true]`)
      .waitFor();
    await expect(page.getByTestId('district-group').getAttribute('data-group')).resolves.toBe('B');
    await expect(page.getByTestId('district-group').textContent()).resolves.toContain('25%');
    const committedBefore =
      (await page
        .getByTestId('district-totals')
        .locator('td[data-measure=committed]')
        .getAttribute('data-value')) ?? '';

    // The queue lists the claim; the reviewer opens it and approves the ceiling.
    await go(page, '#/queue');
    const row = page
      .getByTestId('queue-submitted')
      .locator(`tr[data-claim-id="${approved.claimId}"]`);
    // The queue is a projection: under load it may lag the submission by a moment, so page through it and,
    // at its end, reload it, within a bounded number of attempts.
    for (let attempt = 0; attempt < 25 && (await row.count()) === 0; attempt += 1) {
      const more = page.getByTestId('queue-submitted').getByRole('button');
      if ((await more.count()) > 0) await more.click();
      else await page.reload();
      await row.waitFor({ timeout: 1_000 }).catch(() => undefined);
    }
    await expect(row.count()).resolves.toBe(1);
    await browser.screenshot('06-queue');
    await row.getByRole('link', { name: approved.claimId }).click();
    await page.getByTestId('decision-form').waitFor();
    await expect(
      page.getByTestId('assessment-trace').locator('tbody tr').count(),
    ).resolves.toBeGreaterThan(0);
    await expect(
      page
        .getByTestId('claim-history')
        .locator('tr[data-event-type=ClaimSubmitted] td.hash')
        .first()
        .textContent(),
    ).resolves.toMatch(/^[0-9a-f]{64}$/);
    await expect(page.getByTestId('decision-amount').inputValue()).resolves.toBe('100000.00');
    await page.getByTestId('decision-reasons').fill('材料齐全，按推广费用 25% 核定');
    await page.getByTestId('approve-button').click();
    await page.locator('[data-testid=command-done][data-status=approved]').waitFor();
    await page.locator('[data-view=claim][data-status=approved]').waitFor();
    await page.getByTestId('claim-split').waitFor();
    await browser.screenshot('07-claim-approved');

    // After: the cap bar shows the grant against the 500,000.00 cap.
    await go(page, `#/applicant/${uscc}`);
    await page.getByTestId('year-picker').selectOption('2024');
    await capRow.waitFor();
    await expect(capRow.getAttribute('data-granted')).resolves.toBe('100000.00');
    await expect(capRow.getAttribute('data-cap')).resolves.toBe('500000.00');
    const caps = await chartData(page, 'caps');
    // The chart's categories are the table's rows, in the same order.
    const programs = await page
      .getByTestId('cap-row')
      .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-cap-id')));
    const index = programs.indexOf('annual:c4-brand-promotion:2024');
    expect(index).toBeGreaterThanOrEqual(0);
    expect(caps.series.find((series) => series.key === 'granted')?.values[index]).toBe('100000.00');
    expect(caps.series.find((series) => series.key === 'remaining')?.values[index]).toBe(
      '400000.00',
    );
    await browser.screenshot('05-applicant');

    // After: the district owes its 75% share more this year.
    await go(page, `#/district/${DISTRICT}`);
    await page.getByTestId('year-picker').selectOption(thisYear);
    await page
      .locator(`[data-view=district][data-district=${DISTRICT}][data-ready=true]`)
      .waitFor();
    const committedAfter =
      (await page
        .getByTestId('district-totals')
        .locator('td[data-measure=committed]')
        .getAttribute('data-value')) ?? '';
    expect(fromFen(toFen(committedAfter) - toFen(committedBefore))).toBe('75000.00');
    await browser.screenshot('04-district');
  });

  it('shows a refusal in plain words, with its code, in Chinese and in English', async () => {
    const { page } = browser;
    expectedConsole = [/status of 422/, /status of 403/];
    const uscc = await registerApplicant(admin, 'xihu', '杭州西湖出海测试有限公司');
    const applicantApi = new Api(
      ledger.api,
      await ledger.token(`user-${uscc}`, ['applicant'], uscc),
    );
    const trademark = await fileClaim(applicantApi, uscc, 'c3-trademark', 2024, '200000.00', {
      items: [{ date: '2024-03-01', amount: '300000.00', country: 'US', reference: 'TM-1' }],
    });

    await signIn(page, ledger.url, tokens.reviewer);
    await go(page, `#/claims/${trademark.claimId}`);
    await page.getByTestId('decision-amount').fill('250000.00');
    await page.getByTestId('approve-button').click();
    const notice = page.getByTestId('error-notice');
    await notice.waitFor();
    await expect(notice.getAttribute('data-error-code')).resolves.toBe('CLAIM.EXCEEDS_CEILING');
    await expect(notice.textContent()).resolves.toContain('核定金额超过了当前可核定上限');
    await expect(notice.textContent()).resolves.toContain('CLAIM.EXCEEDS_CEILING');
    await browser.screenshot('08-refusal-zh');
    await page.getByTestId('lang-switch').click();
    await expect(notice.textContent()).resolves.toContain('above the ceiling');
    await browser.screenshot('09-refusal-en');
    await page.getByTestId('lang-switch').click();

    // Separation of duties: the approver of a large grant cannot countersign it.
    const platform = await fileClaim(applicantApi, uscc, 'c1-platform', 2024, '600000.00', {
      platformName: 'West Lake Mall',
    });
    await go(page, `#/claims/${platform.claimId}`);
    await page.getByTestId('decision-reasons').fill('平台运营情况属实');
    await page.getByTestId('approve-button').click();
    await page.locator('[data-view=claim][data-status=pending_countersign]').waitFor();
    await page.getByTestId('countersign-reasons').fill('自行复核');
    await page.getByTestId('countersign-confirm').click();
    await expect(page.getByTestId('error-notice').getAttribute('data-error-code')).resolves.toBe(
      'SOD.SELF_COUNTERSIGN',
    );
    await expect(page.getByTestId('error-notice').textContent()).resolves.toContain(
      '会签人不能是批准人本人',
    );
    await browser.screenshot('10-refusal-countersign');

    // A second reviewer can.
    await signIn(page, ledger.url, tokens.reviewer2);
    await go(page, `#/claims/${platform.claimId}`);
    await page.getByTestId('countersign-reasons').fill('复核同意');
    await page.getByTestId('countersign-confirm').click();
    await page.locator('[data-view=claim][data-status=approved]').waitFor();
  });

  it('finance records a disbursement with a fresh Idempotency-Key and the share still to pay goes down', async () => {
    const { page } = browser;
    expectedConsole = [/status of 422/];
    await signIn(page, ledger.url, tokens.finance);
    const keys: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') keys.push(request.headers()['idempotency-key'] ?? '');
    });
    await go(page, `#/finance/${approved.claimId}`);
    const toPay = (funder: 'city' | 'district') =>
      page
        .getByTestId('selected-shares')
        .locator(`tr[data-funder=${funder}]`)
        .getAttribute('data-to-pay');
    await page.getByTestId('selected-shares').waitFor();
    await expect(toPay('city')).resolves.toBe('25000.00');
    await expect(toPay('district')).resolves.toBe('75000.00');
    // The list of shares still to pay holds the claim too (newest first).
    const listed = page.getByTestId('payables').locator(`tr[data-claim-id="${approved.claimId}"]`);
    await expect(listed.getAttribute('data-district')).resolves.toBe('75000.00');

    await page.getByTestId('disbursement-funder').selectOption('district');
    await page.getByTestId('disbursement-amount').fill('30000.00');
    await page.getByTestId('disbursement-ref').fill(`XS-${approved.claimId}-1`);
    await page.getByTestId('disbursement-paid-at').fill(beijingToday());
    await page.getByTestId('disbursement-submit').click();
    await page.getByTestId('disbursement-done').waitFor();
    await page
      .locator('[data-testid=selected-shares] tr[data-funder=district][data-to-pay="45000.00"]')
      .waitFor();
    await page
      .locator(
        `[data-testid=payables] tr[data-claim-id="${approved.claimId}"][data-district="45000.00"]`,
      )
      .waitFor();

    // Paying more than the share is refused in words.
    await page.getByTestId('disbursement-amount').fill('50000.00');
    await page.getByTestId('disbursement-ref').fill(`XS-${approved.claimId}-2`);
    await page.getByTestId('disbursement-submit').click();
    await expect(page.getByTestId('error-notice').getAttribute('data-error-code')).resolves.toBe(
      'DISBURSEMENT.EXCEEDS_SHARE',
    );
    await expect(page.getByTestId('error-notice').textContent()).resolves.toContain(
      '超过了该出资方尚未拨付的份额',
    );

    await page.getByTestId('disbursement-funder').selectOption('city');
    await page.getByTestId('disbursement-amount').fill('25000.00');
    await page.getByTestId('disbursement-ref').fill(`HZ-${approved.claimId}-1`);
    await page.getByTestId('disbursement-submit').click();
    await page.getByTestId('error-notice').waitFor({ state: 'detached' });
    await page
      .locator('[data-testid=selected-shares] tr[data-funder=city][data-to-pay="0.00"]')
      .waitFor();
    await page.getByTestId('payables').waitFor();
    await browser.screenshot('11-finance');

    expect(keys).toHaveLength(3);
    for (const key of keys) expect(key).toMatch(/^[0-9a-f-]{32,36}$/);
    expect(new Set(keys).size).toBe(3);
    const claim = await auditorApi.get<{ paid: { city: string; district: string } }>(
      `/claims/${approved.claimId}`,
    );
    expectStatus(claim, 200, 'read the paid claim');
    expect(claim.body.paid).toEqual({ city: '25000.00', district: '30000.00' });
  });

  it('renders every view without a console error, and leaves a screenshot of each', async () => {
    const { page } = browser;
    await signIn(page, ledger.url, tokens.reviewer);
    const tour: Array<[string, string, string]> = [
      ['#/overview', '[data-view=overview][data-ready=true]', '12-tour-overview'],
      [`#/district/${DISTRICT}`, '[data-view=district][data-ready=true]', '13-tour-district'],
      [`#/applicant/${approved.uscc}`, '[data-testid=applicant-name]', '14-tour-applicant'],
      [
        '#/queue',
        '[data-testid=queue-submitted] table, [data-testid=queue-submitted] p.muted',
        '15-tour-queue',
      ],
      [`#/claims/${approved.claimId}`, '[data-testid=claim-history]', '16-tour-claim'],
    ];
    for (const [hash, ready, name] of tour) {
      await page.goto(`${ledger.url}${hash}`);
      await page.locator(ready).first().waitFor();
      await page.waitForLoadState('networkidle');
      await browser.screenshot(name);
      expect({ view: hash, errors: browser.drainErrors() }).toEqual({ view: hash, errors: [] });
    }
    await signIn(page, ledger.url, tokens.finance);
    await page.goto(`${ledger.url}#/finance`);
    await page.getByTestId('payables').waitFor();
    await page.waitForLoadState('networkidle');
    await browser.screenshot('17-tour-finance');
    await page.getByTestId('lang-switch').click();
    await signIn(page, ledger.url, tokens.auditor);
    await page.goto(`${ledger.url}#/overview`);
    await waitReady(page, 'overview');
    await browser.screenshot('18-tour-overview-en');
    await page.getByTestId('lang-switch').click();

    // An applicant sees its own page only: no fiscal views, no queue, no decision forms.
    await signIn(
      page,
      ledger.url,
      await ledger.token(`user-${approved.uscc}`, ['applicant'], approved.uscc),
    );
    await page.locator(`[data-view=applicant][data-uscc="${approved.uscc}"]`).waitFor();
    await page.getByTestId('applicant-claims').waitFor();
    await expect(page.getByTestId('nav-queue').count()).resolves.toBe(0);
    await expect(page.getByTestId('nav-overview').count()).resolves.toBe(0);
    await expect(page.getByTestId('applicant-search').count()).resolves.toBe(0);
    await page.waitForLoadState('networkidle');
    await browser.screenshot('19-tour-applicant-self');
    expect(browser.drainErrors()).toEqual([]);
    process.stdout.write(`screenshots: ${SCREENSHOTS}\n`);
  });
});
