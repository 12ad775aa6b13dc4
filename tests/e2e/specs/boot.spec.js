// The start-up script (boot.js, inlined into index.html): the boot's requests start while the wasm
// loads, the app takes their answers, and it does everything itself when they fail or are absent.
//
// To show that a request does not wait for the wasm, the wasm's response is held back until that
// request has been answered: if the request waited for the wasm, the test would time out.
import crypto from 'node:crypto';
import { test, expect } from '@playwright/test';

const PORTAL_URL = process.env.E2E_PORTAL_URL;
const CANCEL = { name: 'Cancel shipment', exact: true };
const FIRST_PAGE = '/api/v1/shipments?sort=created_at&order=desc&limit=50';
const COUNTS = '/api/v1/shipments/counts';
const HISTORY_PAGE = '/api/v1/history?limit=50';
// How long a held request may wait for what it waits for; a failure, not a synchronisation.
const HOLD_LIMIT_MS = 20_000;

function shipmentRows(scope) {
  const table = scope.getByRole('table', { name: 'Shipments' });
  return table.getByRole('row').filter({ has: scope.getByRole('button', CANCEL) });
}

/** The API requests a page makes (path and query), in order, frames included. */
function watchApi(page) {
  const sent = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/api/')) sent.push(url.pathname + url.search);
  });
  return sent;
}

/**
 * Resolves when the server answered a request whose path and query is `target` (on any origin): its
 * response arrived. (Its body is read when the app takes it, so `requestfinished` comes later.)
 */
function answered(page, target) {
  return new Promise((resolve) => {
    page.on('response', (response) => {
      const url = new URL(response.url());
      if (url.pathname + url.search === target) resolve(url.href);
    });
  });
}

/** Holds every wasm response until `release` resolves (or fails the load after HOLD_LIMIT_MS). */
async function holdWasm(page, release) {
  const held = [];
  await page.route(/_bg\.wasm$/, async (route) => {
    held.push(route.request().url());
    const timeout = new Promise((resolve) => { setTimeout(() => resolve('timeout'), HOLD_LIMIT_MS); });
    if ((await Promise.race([release, timeout])) === 'timeout') {
      await route.abort('timedout');
      return;
    }
    await route.continue();
  });
  return held;
}

/**
 * Serves index.html without the config the server writes into it, as another server would: the
 * start-up script then asks for `/config`.
 */
async function withoutWrittenConfig(page) {
  await page.route((url) => url.pathname === '/', async (route) => {
    const response = await route.fetch();
    const html = (await response.text()).replace(/<script type="application\/json" id="app-config">[^<]*<\/script>/, '');
    await route.fulfill({ response, body: html });
  });
}

/** Violations of the page's content security policy, such as a blocked inline script. */
async function watchPolicy(page) {
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__violations.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
}

test('the boot requests are answered before the wasm arrives, and the app uses those answers', async ({ page }) => {
  const api = watchApi(page);
  await watchPolicy(page);
  const release = Promise.all([answered(page, FIRST_PAGE), answered(page, COUNTS)]);
  const held = await holdWasm(page, release);
  await page.goto('/');
  await expect.poll(() => shipmentRows(page).count(), { timeout: HOLD_LIMIT_MS + 10_000 }).toBeGreaterThan(10);
  await expect(page.locator('nav.tabs .count').first()).toBeVisible();
  expect(held.length).toBeGreaterThan(0);
  expect(await page.evaluate(() => window.__violations)).toEqual([]);

  // The config came with the page: nobody asked for it.
  expect(api.filter((p) => p === '/api/v1/config')).toHaveLength(0);
  // Each boot request went out once: the app took the script's answers instead of asking again.
  const boot = ['/api/v1/dev/session', FIRST_PAGE, COUNTS];
  for (const path of boot) {
    expect(api.filter((p) => p === path), path).toHaveLength(1);
  }
  // And in the order the script makes them, before anything the wasm asked for.
  expect(api.slice(0, 2)).toEqual(boot.slice(0, 2));
  // The hand-over is gone from the window once the app took it.
  expect(await page.evaluate(() => '__appBoot' in window)).toBe(false);
});

// Holds the list's first page until `until` resolves; after HOLD_LIMIT_MS it fails the request
// instead, so that a test whose condition never comes ends rather than hangs.
async function holdFirstPage(page, until) {
  await page.route(/\/api\/v1\/shipments\?/, async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname + url.search === FIRST_PAGE) {
      const timeout = new Promise((resolve) => { setTimeout(() => resolve('timeout'), HOLD_LIMIT_MS); });
      if ((await Promise.race([until, timeout])) === 'timeout') {
        await route.abort('timedout');
        return;
      }
    }
    await route.continue();
  });
}

test('the counts, the rate and the providers wait until the first page is answered', async ({ page }) => {
  // On two cores a grouped count beside the first page slowed it fourfold (issue 16): the script
  // and the app send the other requests only once the first page has been answered. The first
  // page is held until the app runs (its event stream is open), so that anything the app would send
  // beside it has had its chance to go out first.
  const OTHERS = [COUNTS, '/api/v1/metrics/cancellation-rate', '/api/v1/providers'];
  const events = [];
  let appRuns;
  const running = new Promise((resolve) => { appRuns = resolve; });
  page.on('request', (request) => {
    const url = new URL(request.url());
    const key = url.pathname + url.search;
    if (url.pathname === '/api/v1/events') appRuns();
    if (OTHERS.includes(key)) events.push(`sent ${key}`);
  });
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (url.pathname + url.search === FIRST_PAGE) events.push(`answered ${FIRST_PAGE}`);
  });
  await holdFirstPage(page, running);
  await page.goto('/');
  await expect.poll(() => shipmentRows(page).count(), { timeout: HOLD_LIMIT_MS + 10_000 }).toBeGreaterThan(10);
  await expect(page.locator('nav.tabs .count').first()).toBeVisible();
  await expect(page.locator('.rate-widget .rate-value')).toBeVisible();
  // The providers are asked for by the filter bar, which comes with the list's extras module after
  // the first rows (src/lazy/parts.rs): it may still be on its way when the rate shows.
  await expect
    .poll(() => events.filter((e) => e === 'sent /api/v1/providers').length, { timeout: HOLD_LIMIT_MS })
    .toBeGreaterThan(0);
  // Each of the others went out once, and only after the first page's answer.
  const answeredAt = events.indexOf(`answered ${FIRST_PAGE}`);
  expect(answeredAt, events.join('\n')).toBeGreaterThanOrEqual(0);
  for (const path of OTHERS) {
    expect(events.filter((e) => e === `sent ${path}`), events.join('\n')).toHaveLength(1);
    expect(events.indexOf(`sent ${path}`), events.join('\n')).toBeGreaterThan(answeredAt);
  }
});

test('a first page answered just after the wasm starts still comes in the app\'s first frame', async ({ page }) => {
  // The answer's body is read in a task of its own, and the wasm's start is one long task: when
  // the answer comes just after the wasm starts, an app that mounts at once paints
  // its "Loading" state first (a frame, then a second task for the rows). The app waits for the
  // answer before it mounts (src/main.rs). The first page is held here until the app has taken the
  // script's hand-over (its first act), then answered.
  let started;
  const appStarted = new Promise((resolve) => { started = resolve; });
  page.on('console', (message) => {
    if (message.text() === 'test: the app took the hand-over') started();
  });
  await holdFirstPage(page, appStarted);
  await page.addInitScript(() => {
    // Each frame, before it paints: the app shown without its rows is a frame a seller sees.
    window.__shellWithoutRows = 0;
    let seen = false;
    const watch = () => {
      if ('__appBoot' in window) seen = true;
      else if (seen) {
        seen = false;
        console.log('test: the app took the hand-over');
      }
      const shown = document.querySelector('main.app') !== null;
      const rows = document.querySelector('table.shipments tbody tr') !== null;
      if (shown && !rows) window.__shellWithoutRows += 1;
      if (!rows) requestAnimationFrame(watch);
    };
    requestAnimationFrame(watch);
  });
  await page.goto('/');
  await expect.poll(() => shipmentRows(page).count(), { timeout: HOLD_LIMIT_MS }).toBeGreaterThan(10);
  expect(await page.evaluate(() => window.__shellWithoutRows)).toBe(0);
});

test('the page waits for its first rows only a moment: a slow first page leaves it shown, with its rows to come', async ({ page }) => {
  // The app renders the page once the script's first answer is in, so that the page and its rows
  // take one layout (src/boot.rs, first_answer_in); a first page still on its way after a second
  // must not hold the page back. The first page is held here until the page is shown.
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  await holdFirstPage(page, released);
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Orders from my warehouse' })).toBeVisible();
  await expect(page.locator('nav.tabs')).toBeVisible();
  expect(await shipmentRows(page).count()).toBe(0);
  release();
  await expect.poll(() => shipmentRows(page).count(), { timeout: HOLD_LIMIT_MS }).toBeGreaterThan(10);
});

test("the history's first page is also answered before the wasm arrives, and asked for once", async ({ page }) => {
  const api = watchApi(page);
  const held = await holdWasm(page, answered(page, HISTORY_PAGE));
  await page.goto('/history');
  await expect(page.locator('.history-total')).toBeVisible({ timeout: HOLD_LIMIT_MS + 10_000 });
  expect(held.length).toBeGreaterThan(0);
  expect(api.filter((p) => p === HISTORY_PAGE)).toHaveLength(1);
  // The list's prefetches belong to `/` only.
  expect(api.filter((p) => p === FIRST_PAGE)).toHaveLength(0);
});

test("the server's policy allows each inline script by its hash, the start-up script among them, never 'unsafe-inline'", async ({ request }) => {
  const response = await request.get('/');
  const html = await response.text();
  const policy = response.headers()['content-security-policy'];
  // Data blocks (the config the server writes in) are never run, so they need no hash.
  const inline = [...html.matchAll(/<script(?![^>]*\b(?:src=|type="application\/json"))[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  expect(html).toContain('<script type="application/json" id="app-config">{');
  const boot = inline.find((body) => body.includes('__appBoot'));
  expect(boot, 'index.html inlines boot.js').toBeDefined();
  const hash = (body) => `'sha256-${crypto.createHash('sha256').update(body, 'utf8').digest('base64')}'`;
  for (const body of inline) expect(policy).toContain(hash(body));
  expect(policy.match(/script-src [^;]*/)[0]).not.toContain("'unsafe-inline'");
});

test('without the config in the page, the script asks for it, and the app takes that answer', async ({ page }) => {
  const api = watchApi(page);
  await withoutWrittenConfig(page);
  await page.goto('/');
  await expect.poll(() => shipmentRows(page).count()).toBeGreaterThan(10);
  expect(api.filter((p) => p === '/api/v1/config')).toHaveLength(1);
  expect(api.slice(0, 3)).toEqual(['/api/v1/config', '/api/v1/dev/session', FIRST_PAGE]);
});

test('when the start-up requests fail, the app makes them itself', async ({ page }) => {
  const api = watchApi(page);
  await withoutWrittenConfig(page);
  // The first `/config` (the script's) fails as if the network dropped it; later ones pass.
  let configs = 0;
  await page.route('**/api/v1/config', (route) => {
    configs += 1;
    return configs === 1 ? route.abort('failed') : route.continue();
  });
  await page.goto('/');
  await expect.poll(() => shipmentRows(page).count()).toBeGreaterThan(10);
  expect(api.filter((p) => p === '/api/v1/config')).toHaveLength(2);
  expect(api.filter((p) => p === '/api/v1/dev/session')).toHaveLength(1);
});

test('when the prefetched page and counts are refused, the app asks for them itself', async ({ page }) => {
  const api = watchApi(page);
  const refused = new Set();
  await page.route(/\/api\/v1\/shipments(\/counts)?(\?|$)/, (route) => {
    const url = new URL(route.request().url());
    const key = url.pathname + url.search;
    if ((key === FIRST_PAGE || key === COUNTS) && !refused.has(key)) {
      refused.add(key);
      return route.fulfill({ status: 503, contentType: 'application/problem+json', body: '{}' });
    }
    return route.continue();
  });
  await page.goto('/');
  await expect.poll(() => shipmentRows(page).count()).toBeGreaterThan(10);
  await expect(page.locator('nav.tabs .count').first()).toBeVisible();
  expect(refused.size).toBe(2);
  expect(api.filter((p) => p === FIRST_PAGE)).toHaveLength(2);
  expect(api.filter((p) => p === COUNTS)).toHaveLength(2);
});

test('without the start-up script the app signs in and loads the list itself', async ({ page }) => {
  const api = watchApi(page);
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  // A property the script cannot define: the script stops, as if it were missing.
  await page.addInitScript(() => {
    Object.defineProperty(window, '__appBoot', { value: undefined, configurable: false });
  });
  await page.goto('/');
  await expect.poll(() => shipmentRows(page).count()).toBeGreaterThan(10);
  expect(errors.some((e) => e.includes('__appBoot'))).toBe(true);
  // The script's requests went out unanswered by anyone; the app's own came after them. The config
  // the server wrote into the page was the script's to read: the app asks for it.
  expect(api.filter((p) => p === '/api/v1/config')).toHaveLength(1);
  expect(api.filter((p) => p === FIRST_PAGE).length).toBeGreaterThanOrEqual(1);
});

test("inside the portal, the portal's init arrives before the wasm and the app takes it", async ({ page }) => {
  // The portal mints the app's token at `/token` on its own origin when the app says `ready`.
  const release = answered(page, '/token');
  const held = await holdWasm(page, release);
  await page.goto(PORTAL_URL);
  const app = page.frameLocator('#app');
  await expect.poll(() => shipmentRows(app).count(), { timeout: HOLD_LIMIT_MS + 10_000 }).toBeGreaterThan(10);
  expect(held.length).toBeGreaterThan(0);
  const log = await page.locator('#log li').allTextContents();
  const types = log.map((line) => `${line[0]} ${JSON.parse(line.slice(2)).type}`);
  // One handshake: the script's `ready`, the portal's `init`; the bridge found the init waiting.
  expect(types.filter((t) => t === '← ready')).toHaveLength(1);
  expect(types.filter((t) => t === '→ init')).toHaveLength(1);
  expect(types.indexOf('← ready')).toBeLessThan(types.indexOf('→ init'));
});
