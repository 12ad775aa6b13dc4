// The app inside the seller portal's frame: the postMessage contract of docs/embedding.md, in real
// Chromium, across real origins (the app, the demo portal, and small sites of our own on other ports).
import http from 'node:http';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { artifactsDir } from '../artifacts.js';
import { startServer } from '../servers.js';

const PORTAL_URL = process.env.E2E_PORTAL_URL;
const APP_URL = process.env.E2E_BASE_URL;
const CANCEL = { name: 'Cancel shipment', exact: true };
// Awaiting shipment at the seller's warehouse: cancelling it takes effect at once (API.md, demo data).
const CANCELS_NOW = '87654321-0026-1';
const OUT_OF_STOCK = "The product is out of stock at the seller's warehouse";
const OTHER = "Other (seller's fault)";

/** Errors the page and its frames report, collected for the whole test. */
function watchErrors(page) {
  const errors = [];
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return errors;
}

/** The console's warnings, where the app says what it ignored. */
function watchWarnings(page) {
  const warnings = [];
  page.on('console', (message) => {
    if (message.type() === 'warning') warnings.push(message.text());
  });
  return warnings;
}

/** A site on another port (another origin) that serves `html(url)` for every path. */
async function startSite(html) {
  const server = http.createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    response.end(html(new URL(request.url, 'http://localhost')));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** A page that frames `?app=` and keeps every message it receives in `window.received`. */
function framingPage(url) {
  const app = url.searchParams.get('app') ?? '';
  return `<!doctype html><html lang="en"><title>Another site</title>
<script>window.received = []; addEventListener('message', (e) => received.push({ origin: e.origin, data: e.data }));</script>
<h1>Another site</h1><iframe id="app" title="framed app" src="${app}" style="width:900px;height:500px"></iframe>`;
}

function shipmentRows(scope) {
  const table = scope.getByRole('table', { name: 'Shipments' });
  return table.getByRole('row').filter({ has: scope.getByRole('button', CANCEL) });
}

/** The app's frame inside a portal page, for evaluating in the app's document. */
async function appFrame(page) {
  const handle = await page.locator('#app').elementHandle();
  return handle.contentFrame();
}

/** The portal's message log, read back as {direction, type, payload}. */
async function messages(page) {
  const lines = await page.locator('#log li').allTextContents();
  return lines.map((line) => {
    const message = JSON.parse(line.slice(2));
    return { direction: line[0] === '←' ? 'from app' : 'to app', type: message.type, payload: message.payload };
  });
}

function count(log, direction, type) {
  return log.filter((m) => m.direction === direction && m.type === type).length;
}

async function openPortal(page, url = PORTAL_URL) {
  await page.goto(url);
  const app = page.frameLocator('#app');
  await expect.poll(() => shipmentRows(app).count()).toBeGreaterThan(10);
  return app;
}

/** How the frame fits its document: the frame's height, the page's own height, and any overflow. */
async function fit(page) {
  const frame = await appFrame(page);
  const frameHeight = await page.locator('#app').evaluate((element) => element.clientHeight);
  const inside = await frame.evaluate(() => {
    const scroller = document.scrollingElement;
    const dialog = document.querySelector('[aria-modal="true"]');
    const box = dialog?.getBoundingClientRect();
    const body = dialog?.querySelector('.dialog-body');
    return {
      page: Math.ceil(document.documentElement.getBoundingClientRect().height),
      overflow: scroller.scrollHeight - scroller.clientHeight,
      dialogBottom: box ? Math.ceil(box.bottom) : null,
      dialogScrolls: body ? body.scrollHeight > body.clientHeight : null,
    };
  });
  return { frameHeight, ...inside };
}

async function theme(frame) {
  return frame.evaluate(() => ({
    theme: document.documentElement.dataset.theme ?? null,
    lang: document.documentElement.lang,
  }));
}

test('the portal and the app shake hands (ready, then init) and the app shows the shipments in the frame', async ({ page }) => {
  const errors = watchErrors(page);
  const app = await openPortal(page);

  const log = await messages(page);
  const ready = log.findIndex((m) => m.direction === 'from app' && m.type === 'ready');
  const init = log.findIndex((m) => m.direction === 'to app' && m.type === 'init');
  expect(ready).toBeGreaterThanOrEqual(0);
  expect(init).toBeGreaterThan(ready);
  expect(log[init].payload).toMatchObject({ locale: 'en', theme: 'light' });
  expect(log[init].payload.token).toMatch(/^eyJ[\w-]{7}…$/);
  expect(count(log, 'from app', 'resize')).toBeGreaterThan(0);
  expect(count(log, 'to app', 'viewport')).toBeGreaterThan(0);
  await expect(app.getByRole('searchbox', { name: 'Search' })).toBeVisible();
  expect(await theme(await appFrame(page))).toEqual({ theme: 'light', lang: 'en' });
  await page.screenshot({ path: path.join(artifactsDir, 'embed-portal.png') });
  expect(errors).toEqual([]);
});

test('messages from another site, from a window that is not the parent, or of a wrong shape are ignored and logged', async ({ page, context }) => {
  const other = await startSite(() => '<!doctype html><html lang="en"><title>Another site</title><h1>Another site</h1>');
  try {
    await page.goto(other.url);
    // The other site opens the portal, then reaches the app's window through the portal's frames.
    const [portal] = await Promise.all([
      page.waitForEvent('popup'),
      page.evaluate((url) => { window.portal = window.open(url, 'portal'); }, PORTAL_URL),
    ]);
    const warnings = watchWarnings(portal);
    await expect.poll(() => shipmentRows(portal.frameLocator('#app')).count()).toBeGreaterThan(10);
    const frame = await appFrame(portal);

    await page.evaluate(() => {
      const app = window.portal.frames[0];
      app.postMessage({ v: 1, type: 'theme', payload: { theme: 'dark' } }, '*');
      app.postMessage({ v: 1, type: 'init', payload: { token: 'a.b.c', locale: 'ru', theme: 'dark' } }, '*');
    });
    await expect.poll(() => warnings.filter((w) => w.startsWith(`ignored a message from ${other.url}`)).length).toBe(2);
    expect(warnings.filter((w) => w.includes('not the window that frames the app')).length).toBe(2);

    // A second window of the portal's own origin is not the app's parent either.
    const [sibling] = await Promise.all([
      context.waitForEvent('page'),
      portal.evaluate(() => { window.open('/portal.css', 'sibling'); }),
    ]);
    await sibling.waitForLoadState();
    await sibling.evaluate(() => window.opener.frames[0].postMessage({ v: 1, type: 'theme', payload: { theme: 'dark' } }, '*'));
    await expect.poll(() => warnings.filter((w) => w.startsWith(`ignored a message from ${PORTAL_URL}: the sender is not`)).length).toBe(1);

    // The parent itself, with the wrong shapes.
    const wrong = [
      [{ v: 2, type: 'theme', payload: { theme: 'dark' } }, 'the protocol version is not 1'],
      [{ v: 1, type: 'steal', payload: {} }, 'the message type is unknown'],
      [{ v: 1, type: 'theme', payload: { theme: 42 } }, 'the payload is malformed: theme'],
      [{ v: 1, type: 'theme', payload: { theme: 'sepia' } }, 'the payload is malformed: theme'],
      [{ v: 1, type: 'init', payload: { token: 'not a token', theme: 'dark' } }, 'the payload is malformed: token'],
      [{ v: 1, type: 'viewport', payload: { top: -5, height: 100 } }, 'the payload is malformed: top'],
      ['hello', 'the message is not a protocol envelope'],
    ];
    await portal.evaluate(({ wrong, app }) => {
      for (const [message] of wrong) document.getElementById('app').contentWindow.postMessage(message, app);
    }, { wrong, app: APP_URL });
    for (const [, why] of wrong) {
      await expect.poll(() => warnings.some((w) => w === `ignored a message from ${PORTAL_URL}: ${why}`), { message: why }).toBe(true);
    }
    expect(await theme(frame)).toEqual({ theme: 'light', lang: 'en' });
    await expect(portal.frameLocator('#app').getByRole('table', { name: 'Shipments' })).toBeVisible();

    // The same channel with a well-formed message works, so the checks above could have failed.
    await portal.getByLabel('Theme').selectOption('dark');
    await expect.poll(() => theme(frame)).toEqual({ theme: 'dark', lang: 'en' });
  } finally {
    await other.close();
  }
});

test('only the listed portal origins can frame the app; without init the app says so', async ({ page, browser, request }) => {
  const listed = await startSite(framingPage);
  const unlisted = await startSite(framingPage);
  const server = await startServer({ name: 'embed-framing', args: ['--portal-origin', listed.url] });
  try {
    const response = await request.get(`${server.url}/`);
    const policy = response.headers()['content-security-policy'];
    expect(policy).toContain(`frame-ancestors 'self' ${listed.url}`);
    expect(policy).not.toContain(unlisted.url);

    const blocked = await browser.newPage();
    const refused = [];
    blocked.on('console', (message) => refused.push(message.text()));
    await blocked.goto(`${unlisted.url}/?app=${encodeURIComponent(`${server.url}/`)}`);
    const blockedFrame = await appFrame(blocked);
    await expect.poll(() => blockedFrame.url()).toBe('chrome-error://chromewebdata/');
    await expect.poll(() => refused.some((text) => text.includes('frame-ancestors'))).toBe(true);
    await blocked.screenshot({ path: path.join(artifactsDir, 'embed-framing-blocked.png') });
    await blocked.close();

    // A listed origin gets a running app, which says `ready` to it and then waits for `init`.
    await page.goto(`${listed.url}/?app=${encodeURIComponent(`${server.url}/`)}`);
    await expect.poll(() => page.evaluate(() => window.received.map((m) => `${m.origin} ${m.data.type}`)))
      .toContain(`${server.url} ready`);
    const app = page.frameLocator('#app');
    await expect(app.getByRole('status').filter({ hasText: 'Starting' })).toBeVisible();
    // The portal never answers: after the wait (10 s) the app tells the seller what to do.
    const alert = app.getByRole('alert');
    await expect(alert).toContainText('The seller portal did not sign you in', { timeout: 15_000 });
    await expect(alert).toContainText('Reload the portal page');
    await page.screenshot({ path: path.join(artifactsDir, 'embed-no-init.png') });
    expect(await page.evaluate(() => window.received.map((m) => m.data.type))).toEqual(
      expect.not.arrayContaining(['token_request']),
    );
  } finally {
    await server.stop();
    await listed.close();
    await unlisted.close();
  }
});

test('the frame follows the content, with the dialog open and closed, without a second scrollbar', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const app = await openPortal(page);
  const fits = async () => {
    const now = await fit(page);
    return Math.abs(now.frameHeight - Math.max(now.page, now.dialogBottom ?? 0)) <= 40 && now.overflow <= 0;
  };
  await expect.poll(fits).toBe(true);
  const full = await fit(page);
  expect(full.frameHeight).toBeGreaterThan(1500);

  await app.getByRole('searchbox', { name: 'Search' }).fill(CANCELS_NOW);
  await expect(shipmentRows(app)).toHaveCount(1);
  await expect.poll(async () => (await fit(page)).frameHeight).toBeLessThan(full.frameHeight - 1000);
  await expect.poll(fits).toBe(true);
  const short = await fit(page);
  expect(short.overflow).toBeLessThanOrEqual(0);
  expect(Math.abs(short.frameHeight - short.page)).toBeLessThanOrEqual(1);

  // The dialog needs more room than one row: the frame grows until the dialog shows in full.
  await shipmentRows(app).getByRole('button', CANCEL).click();
  const dialog = app.getByRole('dialog', { name: 'Cancel shipment' });
  await expect(dialog).toBeVisible();
  await expect.poll(async () => {
    const now = await fit(page);
    return now.dialogBottom <= now.frameHeight && !now.dialogScrolls && now.overflow <= 0;
  }).toBe(true);
  expect((await fit(page)).frameHeight).toBeGreaterThanOrEqual(short.frameHeight);

  // A longer dialog (a description to write) grows the frame again.
  await dialog.getByRole('radio', { name: OTHER }).check();
  await expect(dialog.getByRole('textbox', { name: 'Describe the reason' })).toBeVisible();
  await expect.poll(async () => {
    const now = await fit(page);
    return now.dialogBottom <= now.frameHeight && !now.dialogScrolls && now.overflow <= 0;
  }).toBe(true);
  const grown = await fit(page);
  expect(grown.frameHeight).toBeGreaterThan(short.frameHeight);
  await page.screenshot({ path: path.join(artifactsDir, 'embed-dialog-short-list.png'), fullPage: true });

  await dialog.getByRole('button', { name: 'Keep shipment', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect.poll(async () => (await fit(page)).frameHeight).toBe(short.frameHeight);
  expect((await fit(page)).overflow).toBeLessThanOrEqual(0);
  const log = await messages(page);
  expect(count(log, 'from app', 'resize')).toBeGreaterThanOrEqual(4);
});

test('the dialog opens in the part of a tall frame that the seller sees, and stays there while the portal scrolls', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  const app = await openPortal(page);
  // The table holds 20 rows at first: a frame three screens tall.
  await expect.poll(async () => (await fit(page)).frameHeight).toBeGreaterThan(2400);

  await page.evaluate(() => window.scrollTo(0, 1200));
  // The first enabled button that the seller sees at this scroll position.
  const buttons = app.getByRole('button', { ...CANCEL, disabled: false });
  let target = null;
  for (const button of await buttons.all()) {
    const box = await button.boundingBox();
    if (box && box.y > 150 && box.y + box.height < 600) {
      target = button;
      break;
    }
  }
  expect(target, 'an enabled Cancel shipment button in view').not.toBeNull();
  await target.click();
  expect(await page.evaluate(() => window.scrollY)).toBe(1200);

  const dialog = app.getByRole('dialog', { name: 'Cancel shipment' });
  await expect(dialog).toBeVisible();
  const inView = (element = dialog) => async () => {
    const box = await element.boundingBox();
    return box !== null && box.y >= 0 && box.y + box.height <= 720;
  };
  await expect.poll(inView()).toBe(true);
  await page.screenshot({ path: path.join(artifactsDir, 'embed-dialog-scrolled.png') });

  // The portal scrolls on while the dialog is open: the dialog follows the seller's view.
  await page.evaluate(() => window.scrollBy(0, 900));
  await expect.poll(inView()).toBe(true);
  await page.screenshot({ path: path.join(artifactsDir, 'embed-dialog-scrolled-further.png') });
  const log = await messages(page);
  const last = log.filter((m) => m.type === 'viewport').at(-1);
  expect(last.payload.top).toBeGreaterThan(1600);
  expect(last.payload.height).toBeGreaterThan(600);
  await dialog.getByRole('button', { name: 'Keep shipment', exact: true }).click();
  await expect(dialog).toBeHidden();

  // Ticking a row down there brings the bulk bar into the band, and its dialog opens there too.
  let tick = null;
  for (const box of await app.getByRole('checkbox', { name: /^Select shipment / }).all()) {
    if (await inView(box)()) {
      tick = box;
      break;
    }
  }
  expect(tick, 'a row checkbox in view').not.toBeNull();
  await tick.check();
  const bar = app.getByRole('region', { name: 'Cancel selected shipments' });
  await expect.poll(inView(bar)).toBe(true);
  await bar.getByRole('button', { name: 'Cancel selected shipments' }).click();
  const bulk = app.getByRole('dialog', { name: 'Cancel several shipments' });
  await expect(bulk).toBeVisible();
  await expect.poll(inView(bulk)).toBe(true);
  await page.screenshot({ path: path.join(artifactsDir, 'embed-bulk-dialog-scrolled.png') });
});

test('theme and locale switch live while the dialog is open, keeping what the seller typed', async ({ page }) => {
  const app = await openPortal(page);
  const frame = await appFrame(page);
  await app.getByRole('searchbox', { name: 'Search' }).fill(CANCELS_NOW);
  await expect(shipmentRows(app)).toHaveCount(1);
  await shipmentRows(app).getByRole('button', CANCEL).click();
  const dialog = app.getByRole('dialog', { name: 'Cancel shipment' });
  await dialog.getByRole('radio', { name: OTHER }).check();
  const description = dialog.getByRole('textbox', { name: 'Describe the reason' });
  await description.fill('Typed before the switch');
  const background = () => dialog.evaluate((element) => getComputedStyle(element).backgroundColor);
  const light = await background();

  await page.getByLabel('Theme').selectOption('dark');
  await expect.poll(() => theme(frame)).toEqual({ theme: 'dark', lang: 'en' });
  await expect.poll(background).not.toBe(light);
  await expect(dialog).toBeVisible();
  await expect(description).toHaveValue('Typed before the switch');
  await page.screenshot({ path: path.join(artifactsDir, 'embed-dialog-dark.png') });

  // After the switch the names are Russian (once translated), so the dialog is found by role alone.
  await page.getByLabel('Language').selectOption('ru');
  await expect.poll(() => theme(frame)).toEqual({ theme: 'dark', lang: 'ru' });
  const open = app.getByRole('dialog');
  await expect(open).toHaveCount(1);
  await expect(open.locator('textarea')).toHaveValue('Typed before the switch');
  await expect(open.getByRole('radio', { checked: true })).toHaveCount(1);
  await expect(open.locator('input[type="radio"][value="other"]')).toBeChecked();
  // The rows behind it are in Russian too: each reads its words once, so the table builds them anew.
  // (By CSS: the roles' names are Russian now.)
  const row = app.locator('table.shipments tbody tr').first();
  await expect(row.locator('button.cancel')).toHaveText('Отменить отправление');
  await expect(row.locator('td[data-label="Доставка"]')).toHaveCount(1);
  // The demo portal's own chrome follows the language it sent, as a real portal's would.
  await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
  await expect(page.getByRole('navigation', { name: 'Меню кабинета' }).getByRole('link'))
    .toHaveText('Заказы с моего склада');

  await page.getByLabel('Тема').selectOption('light');
  await expect.poll(() => open.evaluate((element) => getComputedStyle(element).backgroundColor)).toBe(light);
  const log = await messages(page);
  expect(log.filter((m) => m.direction === 'to app' && (m.type === 'theme' || m.type === 'locale')).map((m) => m.payload))
    .toEqual([{ theme: 'dark' }, { locale: 'ru' }, { theme: 'light' }]);
});

test.describe('with tokens that live 5 seconds', () => {
  let server;
  test.beforeAll(async () => {
    server = await startServer({ portal: true, name: 'embed-tokens', args: ['--token-ttl', '5'] });
  });
  test.afterAll(async () => {
    await server?.stop();
  });

  test('an expired token is renewed through the portal, and a cancellation sent meanwhile goes once', async ({ page, request }) => {
    const errors = watchErrors(page);
    const tokens = [];
    page.on('response', async (response) => {
      if (response.url() === `${server.portalUrl}/token` && response.ok()) tokens.push((await response.json()).token);
    });
    const cancels = [];
    page.on('request', (sent) => {
      if (sent.method() === 'POST' && sent.url() === `${server.url}/api/v1/shipments/${CANCELS_NOW}/cancel`) cancels.push(sent);
    });
    // The live-update stream renews its own token each time it expires (every 5 s here), which
    // live.spec.js tests; this test counts the renewals of the calls alone, so the stream's request
    // is held unanswered: it never opens, never ends, and asks for no token.
    await page.route(`${server.url}/api/v1/events`, () => {});
    const app = await openPortal(page, server.portalUrl);
    const requests = async () => count(await messages(page), 'from app', 'token_request');
    const before = await requests();
    /** Waits until the server refuses the portal's latest token, as it does once the token expired. */
    const expired = async () => {
      await expect.poll(() => tokens.length).toBeGreaterThan(0);
      const latest = tokens.at(-1);
      await expect.poll(async () => (await request.get(`${server.url}/api/v1/shipments?limit=1`,
        { headers: { authorization: `Bearer ${latest}` } })).status(), { timeout: 10_000 }).toBe(401);
    };

    // The token runs out; the next call first asks the portal for a new one, then succeeds.
    await expired();
    await app.getByRole('searchbox', { name: 'Search' }).fill(CANCELS_NOW);
    await expect(shipmentRows(app)).toHaveCount(1);
    expect(await requests()).toBe(before + 1);

    await shipmentRows(app).getByRole('button', CANCEL).click();
    const dialog = app.getByRole('dialog', { name: 'Cancel shipment' });
    await dialog.getByRole('radio', { name: OUT_OF_STOCK }).check();
    // The test's own calls sign in afresh each time: its tokens expire too.
    const api = async (url) => {
      const session = await request.post(`${server.url}/api/v1/dev/session`, { data: { seller_id: 's-1001' } });
      const answer = await request.get(`${server.url}/api/v1${url}`,
        { headers: { authorization: `Bearer ${(await session.json()).token}` } });
      expect(answer.status()).toBe(200);
      return answer.json();
    };
    const rate = async () => (await api('/metrics/cancellation-rate')).seller_cancellations;
    const cancelledBefore = await rate();

    // The portal's backend is slow to mint the next token: the cancellation waits for it.
    let release;
    const slow = new Promise((resolve) => { release = resolve; });
    await page.route(`${server.portalUrl}/token`, async (route) => {
      await slow;
      await route.continue();
    });
    await expired();
    await dialog.getByRole('button', CANCEL).click();
    await expect.poll(requests).toBe(before + 2);
    await expect(dialog.getByRole('button', { name: 'Keep shipment', exact: true })).toBeDisabled();
    expect(cancels).toHaveLength(0);
    await page.screenshot({ path: path.join(artifactsDir, 'embed-cancel-waits-for-token.png') });

    release();
    await expect(dialog).toBeHidden();
    await expect(app.locator('.toast').getByText(`Shipment ${CANCELS_NOW} is cancelled.`)).toBeVisible();
    // Sent once, after the renewal, with the new token.
    expect(cancels).toHaveLength(1);
    expect((await cancels[0].response()).status()).toBe(200);
    expect(await cancels[0].headerValue('authorization')).toBe(`Bearer ${tokens.at(-1)}`);
    expect((await api(`/shipments/${CANCELS_NOW}`)).status).toBe('cancelled');
    expect(await rate()).toBe(cancelledBefore + 1);

    const log = await messages(page);
    expect(count(log, 'from app', 'token_request')).toBe(before + 2);
    expect(count(log, 'to app', 'token')).toBe(before + 2);
    expect(log.filter((m) => m.type === 'toast').map((m) => m.payload))
      .toEqual([{ kind: 'success', text: `Shipment ${CANCELS_NOW} is cancelled.` }]);
    expect(log.filter((m) => m.type === 'shipments_changed').map((m) => m.payload.posting_numbers))
      .toContainEqual([CANCELS_NOW]);
    await expect(page.locator('#toasts')).toContainText(`Shipment ${CANCELS_NOW} is cancelled.`);
    await page.screenshot({ path: path.join(artifactsDir, 'embed-cancelled-after-renewal.png') });
    expect(errors).toEqual([]);
  });
});

test('a bulk cancellation tells the portal once, with its summary', async ({ page }) => {
  const server = await startServer({ portal: true, name: 'embed-bulk' });
  try {
    const errors = watchErrors(page);
    const app = await openPortal(page, server.portalUrl);
    // Two showcase shipments that cancel at once: awaiting shipment (China Post), ready for shipment (partner).
    const chosen = ['87654321-0006-1', '87654321-0008-1'];
    await app.getByRole('searchbox', { name: 'Search' }).fill('87654321-000');
    for (const pn of chosen) {
      await app.getByRole('checkbox', { name: `Select shipment ${pn}` }).check();
    }
    await app.getByRole('region', { name: 'Cancel selected shipments' })
      .getByRole('button', { name: 'Cancel selected shipments' }).click();
    const dialog = app.getByRole('dialog', { name: 'Cancel several shipments' });
    await dialog.getByRole('radio', { name: 'The customer is asking to cancel the order' }).check();
    await dialog.getByRole('button', { name: 'Cancel 2 shipments' }).click();
    const summary = '2 cancelled, 0 requested from providers, 0 skipped, 0 failed.';
    await expect(dialog.getByRole('status').filter({ hasText: 'requested from providers' })).toHaveText(summary);

    // One toast for the run, not one per shipment; every shipment is reported as changed.
    await expect(page.locator('#toasts')).toContainText(summary);
    const log = await messages(page);
    expect(log.filter((m) => m.type === 'toast').map((m) => m.payload)).toEqual([{ kind: 'success', text: summary }]);
    const changed = log.filter((m) => m.type === 'shipments_changed').flatMap((m) => m.payload.posting_numbers);
    expect([...new Set(changed)].sort()).toEqual(chosen);
    expect(errors).toEqual([]);
  } finally {
    await server.stop();
  }
});
