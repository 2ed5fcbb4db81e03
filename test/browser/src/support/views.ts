/**
 * Every view of the dashboard, reached as a user would (hash routes) and waited for until its data is
 * on screen; plus the page-side checks the zh-CN and phone suites run on each (apps/dashboard/README.md).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { go } from './browser';
import type { Api } from './http';
import { WORKSPACE } from './ledger';

/** Screenshots of every view, desktop and phone (gitignored). */
export const SCREENS = join(WORKSPACE, 'test-artifacts', 'screens');

export interface ViewStop {
  readonly name: string;
  readonly hash: string;
  /** A selector that is present once the view shows its data. */
  readonly ready: string;
}

interface ClaimItem {
  readonly claimId: string;
  readonly applicant: string;
  readonly status: string;
  readonly paid?: { city: string; district: string } | null;
}

/** The views to walk, with ids taken from the demo ledger through the API (the oracle). */
export async function viewStops(api: Api): Promise<ViewStop[]> {
  const submitted = await api.get<{ items: ClaimItem[] }>('/claims', {
    status: 'submitted',
    limit: 5,
  });
  const pending = await api.get<{ items: ClaimItem[] }>('/claims', {
    status: 'pending_countersign',
    limit: 5,
  });
  const approved = await api.get<{ items: ClaimItem[] }>('/claims', {
    status: 'approved',
    limit: 50,
  });
  const open = submitted.body.items[0];
  const waiting = pending.body.items[0];
  const paid =
    approved.body.items.find(
      (claim) => claim.paid && (claim.paid.city !== '0.00' || claim.paid.district !== '0.00'),
    ) ?? approved.body.items[0];
  if (!open || !waiting || !paid)
    throw new Error(
      `the demo ledger must have submitted, pending and approved claims: ${submitted.body.items.length}/${pending.body.items.length}/${approved.body.items.length}`,
    );
  return [
    { name: 'overview', hash: '#/overview', ready: '[data-view=overview][data-ready=true]' },
    {
      name: 'district',
      hash: '#/district/xiaoshan',
      ready: '[data-view=district][data-ready=true] [data-testid=district-totals]',
    },
    {
      name: 'applicant',
      hash: `#/applicant/${paid.applicant}`,
      ready: '[data-view=applicant] [data-testid=applicant-name] >> nth=0',
    },
    { name: 'queue', hash: '#/queue', ready: '[data-testid=queue-table-submitted]' },
    {
      name: 'claim-submitted',
      hash: `#/claims/${open.claimId}`,
      ready: '[data-testid=decision-form] >> nth=0',
    },
    {
      name: 'claim-pending',
      hash: `#/claims/${waiting.claimId}`,
      ready: '[data-testid=countersign-form] >> nth=0',
    },
    {
      name: 'claim-paid',
      hash: `#/claims/${paid.claimId}`,
      ready: '[data-testid=claim-split] >> nth=0',
    },
    {
      name: 'finance',
      hash: '#/finance',
      ready: '[data-view=finance] [data-testid=payables], [data-view=finance] p.muted >> nth=0',
    },
  ];
}

/** Opens a view and waits for its data, the history table of a claim, and every chart drawn. */
export async function visit(page: Page, stop: ViewStop): Promise<void> {
  await go(page, stop.hash);
  await page.locator(stop.ready).first().waitFor({ timeout: 60_000 });
  if (stop.name.startsWith('claim'))
    await page.getByTestId('claim-history').waitFor({ timeout: 60_000 });
  if (stop.name === 'applicant')
    await page
      .locator('[data-testid=caps-table], [data-view=applicant] .panel p.muted')
      .first()
      .waitFor({ timeout: 60_000 });
  await page
    .locator('p.loading')
    .first()
    .waitFor({ state: 'detached', timeout: 60_000 })
    .catch(() => undefined);
}

/** Scrolls through the page so that every chart is drawn (they draw when they come into view). */
export async function drawEveryChart(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const scroller = (
      globalThis as unknown as { document: { scrollingElement: { scrollHeight: number } } }
    ).document.scrollingElement;
    const win = globalThis as unknown as {
      scrollTo(x: number, y: number): void;
      innerHeight: number;
    };
    for (let y = 0; y < scroller.scrollHeight; y += Math.max(200, win.innerHeight / 2)) {
      win.scrollTo(0, y);
      await new Promise((resolve) => setTimeout(resolve, 60));
    }
    win.scrollTo(0, 0);
  });
  await page.waitForFunction(
    () => {
      const doc = (
        globalThis as unknown as {
          document: { querySelectorAll(selector: string): { length: number } };
        }
      ).document;
      return doc.querySelectorAll('.chart-canvas[data-drawn=false]').length === 0;
    },
    undefined,
    { timeout: 30_000 },
  );
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENS, { recursive: true });
  const path = join(SCREENS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

export interface TextFindings {
  /** Text nodes with Latin letters and no Chinese, outside code, identifiers and marked English. */
  readonly latinOnly: string[];
  /** ISO instants (`2023-09-01T01:00:30.000Z`) anywhere in the page's text. */
  readonly isoTimes: string[];
  readonly textNodes: number;
}

/**
 * Walks every text node of the page. Allowed to be Latin: what sits inside code/kbd/samp, an element
 * marked translate="no" (identifiers) or lang="en" (the language switch, the server's own message),
 * and the short codes in `allow`.
 */
export async function scanText(page: Page, allow: readonly string[]): Promise<TextFindings> {
  return page.evaluate(
    (allowed) => {
      type Node = {
        nodeValue: string | null;
        parentElement: { closest(selector: string): unknown } | null;
      };
      const doc = (
        globalThis as unknown as {
          document: {
            body: unknown;
            createTreeWalker(root: unknown, what: number): { nextNode(): Node | null };
          };
        }
      ).document;
      const walker = doc.createTreeWalker(doc.body, 4 /* NodeFilter.SHOW_TEXT */);
      const latinOnly: string[] = [];
      const isoTimes: string[] = [];
      let textNodes = 0;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = (node.nodeValue ?? '').trim();
        if (!text) continue;
        const parent = node.parentElement;
        if (parent?.closest('script, style, noscript')) continue;
        textNodes += 1;
        if (/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})/.test(text))
          isoTimes.push(text);
        if (parent?.closest('code, kbd, samp, [translate="no"], [lang="en"]')) continue;
        if (allowed.includes(text)) continue;
        if (/[A-Za-z]/.test(text) && !/[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/.test(text))
          latinOnly.push(text);
      }
      return { latinOnly, isoTimes, textNodes };
    },
    [...allow],
  );
}

/** document.scrollingElement.scrollWidth against the window's width, and the widest element if it overflows. */
export async function overflow(
  page: Page,
): Promise<{ scrollWidth: number; innerWidth: number; culprits: string[] }> {
  return page.evaluate(() => {
    type El = {
      tagName: string;
      className: unknown;
      getBoundingClientRect(): { right: number; width: number };
      getAttribute(name: string): string | null;
    };
    const win = globalThis as unknown as {
      innerWidth: number;
      document: {
        scrollingElement: { scrollWidth: number };
        querySelectorAll(selector: string): ArrayLike<El>;
      };
    };
    const scrollWidth = win.document.scrollingElement.scrollWidth;
    const culprits: string[] = [];
    if (scrollWidth > win.innerWidth) {
      const all = Array.from(win.document.querySelectorAll('body *'));
      for (const element of all) {
        const box = element.getBoundingClientRect();
        if (box.right > win.innerWidth + 1 && culprits.length < 8)
          culprits.push(
            `${element.tagName.toLowerCase()}.${String(element.className)}[${element.getAttribute('data-testid') ?? ''}] right=${Math.round(box.right)}`,
          );
      }
    }
    return { scrollWidth, innerWidth: win.innerWidth, culprits };
  });
}
