/**
 * What the reviewer saw, in the dashboard (docs/policy.md §7, issue 18): the reviewer opens a claim, another
 * reviewer's approval takes cap room meanwhile, and the decision sent from the old view is refused with
 * DECISION.STALE_VIEW; the page shows the ceiling then and now, reloads, and the reviewer decides again from
 * the current view, whose position the claim's history then shows.
 */
import { Api, expectStatus } from './support/http';
import { go, openBrowser, signIn, type BrowserSession } from './support/browser';
import { startLedger, type LedgerUnderTest } from './support/ledger';
import { fileClaim, registerApplicant } from './support/scenario';

/** c4-brand-promotion: 25% of 1,200,000.00 of fees = 300,000.00 per claim, 500,000.00 per year. */
const promotion = (date: string) => ({
  items: [{ date, amount: '1200000.00', channel: 'live-streaming' }],
});

describe('dashboard: a decision from a stale view (browser, real service)', () => {
  let ledger: LedgerUnderTest;
  let browser: BrowserSession;

  beforeAll(async () => {
    ledger = await startLedger({ applicants: 3 });
    browser = await openBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await ledger?.stop();
  });

  it('shows the new figures on 409 DECISION.STALE_VIEW and records the decision made again', async () => {
    const admin = new Api(ledger.api, await ledger.token('root-admin', ['admin']));
    const uscc = await registerApplicant(admin, 'xihu', 'Stale View Trading Co.');
    const applicant = new Api(ledger.api, await ledger.token(`app-${uscc}`, ['applicant'], uscc));
    const first = await fileClaim(applicant, uscc, 'c4-brand-promotion', 2024, '99999999.00', {
      ...promotion('2024-04-01'),
    });
    const second = await fileClaim(applicant, uscc, 'c4-brand-promotion', 2024, '99999999.00', {
      ...promotion('2024-07-01'),
    });
    expect(second.ceiling).toBe('300000.00');

    const { page } = browser;
    await signIn(page, ledger.url, await ledger.token('rita-reviewer', ['reviewer']));
    await go(page, `#/claims/${second.claimId}`);
    await page.getByTestId('decision-form').waitFor();
    await expect(page.getByTestId('decision-amount').inputValue()).resolves.toBe('300000.00');

    // Meanwhile another reviewer approves the first claim: the second's ceiling drops to 200,000.00.
    const other = new Api(ledger.api, await ledger.token('rob-reviewer', ['reviewer']));
    expectStatus(
      await other.post(`/claims/${first.claimId}/decisions`, {
        outcome: 'approve',
        amount: '300000.00',
        reasons: [],
      }),
      200,
      'the other approval',
    );

    await page.getByTestId('decision-amount').fill('250000.00');
    await page.getByTestId('approve-button').click();
    const stale = page.getByTestId('stale-view');
    await stale.waitFor();
    await expect(stale.getAttribute('data-current-ceiling')).resolves.toBe('200000.00');
    await expect(page.getByTestId('stale-seen').getAttribute('data-ceiling')).resolves.toBe(
      '300000.00',
    );
    await expect(
      page.getByTestId('stale-current').locator('.money').first().getAttribute('data-amount'),
    ).resolves.toBe('200000.00');
    await browser.screenshot('stale-view-refused');

    // The page reloaded with the current view; the proposed amount is the ceiling now.
    await page.getByTestId('decision-form').waitFor();
    await expect(page.getByTestId('decision-amount').inputValue()).resolves.toBe('200000.00');
    await page.getByTestId('approve-button').click();
    await page.locator('[data-testid=command-done][data-status=approved]').waitFor();
    await expect(page.getByTestId('stale-view').count()).resolves.toBe(0);
    const viewed = page
      .getByTestId('claim-history')
      .locator('tr[data-event-type=ClaimApproved]')
      .getByTestId('history-view-position');
    await viewed.waitFor();
    await expect(viewed.textContent()).resolves.toMatch(/[0-9]+\s*$/);

    const history = await other.get<{ events: { type: string; data: Record<string, unknown> }[] }>(
      `/claims/${second.claimId}/history`,
    );
    expectStatus(history, 200, 'history');
    const approval = history.body.events.find((event) => event.type === 'ClaimApproved');
    expect(approval?.data).toMatchObject({ amount: '200000.00' });
    expect(approval?.data['viewPosition']).toMatch(/^[0-9]+$/);
    // Only the browser's own line for the refused request reached the console.
    const errors = browser.drainErrors().filter((entry) => !/status of 409/.test(entry.text));
    expect(errors).toEqual([]);
  });
});
