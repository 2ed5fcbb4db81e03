/**
 * The finance workbook as a job in the dashboard (issue 13, docs/operations.md "Jobs"): on a phone-sized
 * window an auditor starts the export on the overview, the progress bar fills from the job's events
 * done/total while the page polls it, the download is the xlsx the job produced, and nothing scrolls
 * sideways. The words are zh-CN (the browser's locale).
 */
import { readFileSync } from 'node:fs';
import { openBrowser, signIn, type BrowserSession } from './support/browser';
import { startLedger, type LedgerUnderTest } from './support/ledger';
import { overflow, screenshot } from './support/views';

const DEMO_APPLICANTS = 96;
const PHONE = { width: 390, height: 844 };

interface BarReading {
  readonly state: string | null;
  readonly value: number;
  readonly max: number;
  readonly counts: string;
}

describe('the export as a job in the dashboard (browser, real service, demo ledger)', () => {
  let ledger: LedgerUnderTest;
  let browser: BrowserSession;

  beforeAll(async () => {
    ledger = await startLedger({ applicants: DEMO_APPLICANTS });
    browser = await openBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await ledger?.stop();
  });

  it('given an auditor on a phone, when they start the export, then the bar fills from the job and the xlsx downloads', async () => {
    const { page } = browser;
    await page.setViewportSize(PHONE);
    await signIn(page, ledger.url, await ledger.token('amy-auditor', ['auditor']));
    await page.goto(`${ledger.url}#/overview`);
    const panel = page.getByTestId('export-job');
    await panel.waitFor();
    await expectText(panel.locator('h2').innerText(), '导出财务工作簿');

    await page.getByTestId('export-start').click();
    const status = page.getByTestId('export-status');
    await status.waitFor();
    const bar = page.getByTestId('export-progress');
    const readings: BarReading[] = [];
    for (let tries = 0; tries < 1200; tries += 1) {
      const reading: BarReading = {
        state: await status.getAttribute('data-state'),
        value: Number(await bar.getAttribute('value')),
        max: Number(await bar.getAttribute('max')),
        counts: await page.getByTestId('export-counts').innerText(),
      };
      readings.push(reading);
      if (reading.state === 'succeeded' || reading.state === 'failed') break;
      await page.waitForTimeout(50);
    }
    const last = readings[readings.length - 1] as BarReading;
    expect(last.state).toBe('succeeded');
    // The page showed the job before it was done, and the bar only ever moved forward, to full.
    expect(
      readings.some((reading) => reading.state === 'queued' || reading.state === 'running'),
    ).toBe(true);
    const values = readings.map((reading) => reading.value);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(last.value).toBe(last.max);
    expect(last.max).toBeGreaterThan(1);
    expect(last.counts).toMatch(/^已处理 \d+ \/ \d+ 条事件$/);
    await expectText(status.locator('strong').innerText(), '已完成');

    const link = page.getByTestId('export-download');
    await link.waitFor();
    expect(await link.innerText()).toMatch(/^下载 ledger-export-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^ledger-export-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const bytes = readFileSync(await download.path());
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK'); // an xlsx is a zip

    // The same bytes as the job's result over the API.
    const jobs = (await (
      await fetch(`${ledger.api}/audit/jobs`, {
        headers: { authorization: `Bearer ${await ledger.token('amy-auditor', ['auditor'])}` },
      })
    ).json()) as Array<{ id: string; state: string }>;
    expect(jobs.map((job) => job.state)).toEqual(['succeeded']);
    const result = await fetch(`${ledger.api}/audit/jobs/${jobs[0]?.id}/result`, {
      headers: { authorization: `Bearer ${await ledger.token('amy-auditor', ['auditor'])}` },
    });
    expect(Buffer.from(await result.arrayBuffer()).equals(bytes)).toBe(true);

    const measured = await overflow(page);
    expect(measured.scrollWidth).toBeLessThanOrEqual(measured.innerWidth);
    await screenshot(page, 'export-job-phone');
    expect(browser.drainErrors()).toEqual([]);
  });

  it('given a reviewer, then the overview offers no export', async () => {
    const { page } = browser;
    await signIn(page, ledger.url, await ledger.token('rita-reviewer', ['reviewer']));
    await page.goto(`${ledger.url}#/overview`);
    await page.getByTestId('who').waitFor();
    await page.locator('[data-view="overview"]').waitFor();
    expect(await page.getByTestId('export-job').count()).toBe(0);
  });
});

async function expectText(text: Promise<string>, wanted: string): Promise<void> {
  expect((await text).trim()).toBe(wanted);
}
