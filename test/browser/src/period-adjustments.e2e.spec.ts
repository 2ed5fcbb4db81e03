/**
 * Post-close adjustments in the dashboard (issue 18; docs/operations.md "Period close"): on a demo ledger an
 * admin closes 2024 and an adjuster records two adjustments over the real HTTP API; finance opens the
 * Finance page, picks 2024 and sees them under their own heading (期后调整), with their totals per funder
 * and kind, apart from the shares still to pay. 2025, still open, says so.
 */
import { randomUUID } from 'node:crypto';
import { openBrowser, signIn, type BrowserSession } from './support/browser';
import { startLedger, type LedgerUnderTest } from './support/ledger';

describe('post-close adjustments on the Finance page (browser, real service, demo ledger)', () => {
  let ledger: LedgerUnderTest;
  let browser: BrowserSession;

  beforeAll(async () => {
    ledger = await startLedger({ applicants: 12 });
    browser = await openBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await ledger?.stop();
  });

  async function call(sub: string, roles: string[], path: string, body?: unknown) {
    const token = await ledger.token(sub, roles as never);
    const response = await fetch(`${ledger.api}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined
          ? {}
          : { 'content-type': 'application/json', 'idempotency-key': randomUUID() }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as any };
  }

  it('given 2024 closed with two adjustments, finance sees them apart with their totals', async () => {
    const claims = await call('fay-finance', ['finance'], '/claims?status=approved&limit=1');
    const claimId = claims.body.items[0].claimId as string;
    expect(
      (await call('root-admin', ['admin'], '/periods/2024/close', { reasons: ['year end'] }))
        .status,
    ).toBe(201);
    const adjust = (kind: string, amount: string, reference: string) =>
      call('ada-adjuster', ['adjuster'], '/periods/2024/adjustments', {
        funder: 'city',
        kind,
        subjectId: claimId,
        amount,
        reference,
        datedOn: '2024-12-31',
        reasons: ['entered after the close'],
      });
    expect((await adjust('disbursement', '1250.35', 'ADJ-B-1')).status).toBe(201);
    expect((await adjust('recovery', '80.10', 'ADJ-B-2')).status).toBe(201);

    const { page } = browser;
    await signIn(page, ledger.url, await ledger.token('fay-finance', ['finance']));
    await page.goto(`${ledger.url}#/finance`);
    const panel = page.getByTestId('post-close-adjustments');
    await panel.waitFor();
    expect(await panel.locator('h2').innerText()).toBe('期后调整');
    await panel.getByTestId('year-picker').selectOption('2025');
    await panel.getByTestId('adjustments-open').waitFor();
    expect(await panel.getByTestId('adjustments-open').innerText()).toContain('2025 年度尚未结账');

    await panel.getByTestId('year-picker').selectOption('2024');
    const table = panel.getByTestId('adjustments-table');
    await table.waitFor();
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBe(2);
    expect(
      await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-amount'))),
    ).toEqual(['1250.35', '80.10']);
    expect(await panel.getByTestId('adjustments-total-city-disbursement').innerText()).toContain(
      '1,250.35',
    );
    expect(await panel.getByTestId('adjustments-total-city-recovery').innerText()).toContain(
      '80.10',
    );
    expect(await table.innerText()).toContain(claimId);
    await browser.screenshot('period-adjustments-finance');
    expect(browser.drainErrors()).toEqual([]);
  });
});
