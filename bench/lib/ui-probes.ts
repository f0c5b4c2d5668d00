// The checkout benches' one toolkit (bench:ui, bench:catalog): in-page probes for scan → line, search
// keystroke → results, cold load → ready, last payment key → code field ready, and the core round
// trips, all timed inside the page; the Chromium they run in; and the till routines they drive.
import { chromium, type Browser, type Page } from '@playwright/test';
import type { RunningHost } from '../../main/host/launch.ts';
import { DISABLED_CHROMIUM_FEATURES } from '../../main/chromium-features.ts';

// In-page probes, installed before the app loads (serialized by Playwright). They only observe.
export interface Probe {
  enterAt: number;
  keyAt: number;
  scan: number[];
  scanFrame: number[];
  search: number[];
  ready: number;
  rtt: Record<string, number[]>;
  payAt: number;
  payToScan: number[];
  /** Date.now() at each last payment key, to pair with a printer's arrival times. */
  payWall: number[];
}
export function probes(): void {
  const w = window as unknown as { __bench: Probe };
  const b: Probe = (w.__bench = {
    enterAt: 0,
    keyAt: 0,
    scan: [],
    scanFrame: [],
    search: [],
    ready: -1,
    rtt: { 'catalog.lookup': [], 'catalog.search': [] },
    payAt: 0,
    payToScan: [],
    payWall: [],
  });
  // Split the figures: the round trip to the core (transport + core) vs. the rest, which is the UI.
  const realFetch = window.fetch.bind(window);
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const m = /\/api\/(catalog\.(?:lookup|search))$/.exec(url);
    if (!m) return realFetch(input, init);
    const t0 = performance.now();
    const res = await realFetch(input, init);
    await res.clone().arrayBuffer();
    b.rtt[m[1] as string]?.push(performance.now() - t0);
    return res;
  };
  // The host's client sends calls over its WebSocket as {"id":N,"channel":"…",…} and gets
  // {"id":N,"result":…} back (main/host/rpc.ts); time those from send to arrival the same way.
  const RealWebSocket = window.WebSocket;
  const sentAt = new Map<number, [string, number]>();
  b.rtt.viaWs = [0];
  class ProbeWebSocket extends RealWebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('message', (m: MessageEvent) => {
        const id = typeof m.data === 'string' ? /^\{"id":(\d+),/.exec(m.data)?.[1] : undefined;
        const sent = id === undefined ? undefined : sentAt.get(Number(id));
        if (!sent) return;
        sentAt.delete(Number(id));
        b.rtt[sent[0]]?.push(performance.now() - sent[1]);
        b.rtt.viaWs![0]!++;
      });
    }
    override send(data: Parameters<WebSocket['send']>[0]): void {
      const m = typeof data === 'string' ? /^\{"id":(\d+),"channel":"(catalog\.(?:lookup|search))"/.exec(data) : null;
      if (m) sentAt.set(Number(m[1]), [m[2]!, performance.now()]);
      super.send(data);
    }
  }
  window.WebSocket = ProbeWebSocket;
  const isCodeInput = (t: EventTarget | null) => t instanceof HTMLElement && t.dataset.testid === 'code-input';
  const markReady = () => {
    const input = document.querySelector('[data-testid="code-input"]');
    if (b.ready < 0 && input && document.activeElement === input) b.ready = performance.now();
  };
  window.addEventListener(
    'keydown',
    (e) => {
      // The last payment key: Enter on the amount field once everything is paid.
      if (
        e.key === 'Enter' &&
        e.target instanceof HTMLElement &&
        e.target.dataset.testid === 'pay-amount' &&
        document.querySelector('[data-testid="pay-remaining"][data-cents="0"]')
      ) {
        b.payAt = performance.now();
        b.payWall.push(Date.now());
      }
      if (!isCodeInput(e.target)) return;
      if (e.key === 'Enter') b.enterAt = performance.now();
      else if (e.key.length === 1) b.keyAt = performance.now();
    },
    true,
  );
  let lastCount: string | null = null;
  let lastAnswered: string | null = null;
  const mo = new MutationObserver(() => {
    markReady();
    const c = document.querySelector('[data-testid="item-count"]')?.textContent ?? null;
    if (c !== lastCount) {
      const prev = lastCount;
      lastCount = c;
      if (prev !== null && c !== null && Number(c) > Number(prev) && b.enterAt > 0) {
        const t0 = b.enterAt;
        b.enterAt = 0;
        b.scan.push(performance.now() - t0);
        requestAnimationFrame(() => b.scanFrame.push(performance.now() - t0));
      }
    }
    const box = document.querySelector('[data-testid="search-results"]');
    const a = box ? box.getAttribute('data-answered') : null;
    if (a !== lastAnswered) {
      lastAnswered = a;
      if (a !== null && b.keyAt > 0 && box?.querySelector('[data-testid="search-row"]')) {
        b.search.push(performance.now() - b.keyAt);
        b.keyAt = 0;
      }
    }
  });
  const start = () =>
    mo.observe(document.documentElement, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['data-answered'] });
  if (document.documentElement) start();
  else document.addEventListener('DOMContentLoaded', start);
  document.addEventListener('focusin', markReady, true);
  // The code field is ready for the next scan when it has the focus again after the payment.
  document.addEventListener(
    'focusin',
    (e) => {
      if (b.payAt > 0 && isCodeInput(e.target)) {
        b.payToScan.push(performance.now() - b.payAt);
        b.payAt = 0;
      }
    },
    true,
  );
}

// Playwright's waitForSelector/waitForFunction return handles that pin their DOM nodes until
// disposed; left alone they would show up as a renderer "leak" in the heap figures.
export async function waitSel(page: Page, selector: string): Promise<void> {
  await page.locator(selector).first().waitFor({ state: 'attached' });
}
export async function waitCount(page: Page, n: number): Promise<void> {
  const h = await page.waitForFunction((k) => document.querySelector('[data-testid="item-count"]')?.textContent === String(k), n);
  await h.dispose();
}

export async function waitIdle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
}

/** Debian Chromium with the feature switches the product's windows run with (main/chromium-features.ts). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--disable-features=${DISABLED_CHROMIUM_FEATURES.join(',')}`,
    ],
  });
}

/**
 * A demo till ready to sell, as a shop starts its day: the manager opens the register with the float
 * (selling needs an open session), and a sale in progress may be cancelled without the manager's PIN
 * (the benches cancel their scan-only sales with F7).
 */
export async function prepareTill(host: RunningHost): Promise<void> {
  const must = async (r: Promise<{ ok: boolean; error?: { message: string } }>) => {
    const x = await r;
    if (!x.ok) throw new Error(x.error?.message ?? 'failed');
  };
  await must(host.core.handle('auth.login', { operatorId: 'gerente', pin: '9999' }));
  await must(host.core.handle('settings.update', { managerPin: '9999', patch: { cancelSaleApprovalAboveCents: -1 } }));
  const state = await host.core.handle('register.state', {});
  if (!(state.ok && state.value.session)) await must(host.core.handle('register.open', { amountText: '100,00' }));
  await must(host.core.handle('auth.logout', {}));
}

/** The operator picks their name and types the PIN on the login screen. */
export async function loginAs(page: Page, name: string, pin: string): Promise<void> {
  await page.locator(`[data-testid="operator-option"][data-operator="${name}"]`).click();
  await page.getByTestId('pin-input').fill(pin);
  await page.getByTestId('pin-input').press('Enter');
  await waitSel(page, '[data-testid="checkout-screen"]');
}

/**
 * Search keystroke → results at a person's typing pace: each word typed letter by letter (one answer
 * per keystroke), then Escape. Returns the in-page samples (ms) of this call only.
 */
export async function measureSearch(page: Page, words: readonly string[], rounds = 1): Promise<number[]> {
  await page.evaluate(() => {
    (window as unknown as { __bench: Probe }).__bench.search.length = 0;
  });
  for (let round = 0; round < rounds; round++) {
    for (const w of words) {
      for (const ch of w) {
        await page.keyboard.type(ch);
        await page.waitForTimeout(40);
      }
      await page.keyboard.press('Escape');
      await waitIdle(page);
    }
  }
  return page.evaluate(() => (window as unknown as { __bench: Probe }).__bench.search);
}

/** F7 + Enter: drops the sale in progress and waits for the empty till. */
export async function cancelSale(page: Page): Promise<void> {
  await page.keyboard.press('F7');
  await page.keyboard.press('Enter');
  await waitSel(page, '[data-testid="checkout-screen"] [data-testid="item-list"][data-count="0"]');
}

/** Scans the codes, pays with one payment key (F2 cash, F5 PIX…) and waits for the free till. */
export async function sell(page: Page, codes: readonly string[], payKey = 'F2'): Promise<void> {
  for (const g of codes) {
    await page.keyboard.type(g);
    await page.keyboard.press('Enter');
  }
  await waitCount(page, codes.length);
  await page.keyboard.press('F10');
  await waitSel(page, '[data-testid="payment-screen"]');
  await page.keyboard.press(payKey);
  await waitSel(page, '[data-testid="pay-remaining"][data-cents="0"]');
  await page.keyboard.press('Enter');
  await waitSel(page, '[data-testid="checkout-screen"] [data-testid="item-list"][data-count="0"]');
}
