// Live updates pushed by the server (GET /api/v1/events, read with fetch): a provider's answer and a
// change made in another tab reach an open list within a second, standalone and inside the portal's
// frame, with no polling and no token in a URL.
import { expect } from '@playwright/test';
import { CANCEL, REASON, openDialog, sellerApi, shipmentRow, testWithOwnServer, watchErrors } from '../flows.js';
import { startServer } from '../servers.js';

// Provider requests wait an hour on their own: only the demo call answers them. The server also
// serves the demo portal, on another origin.
const test = testWithOwnServer({ name: 'live', portal: true, args: ['--provider-delay', '3600'] });

/** The bound: from the change made elsewhere to the row showing it. */
const LIVE_MS = 1_000;

/** What is left of the bound that started at `since` (Date.now()), for an expect's timeout. */
const remaining = (since) => Math.max(1, LIVE_MS - (Date.now() - since));

/** In-transit shipments whose cancellation is a request to their provider, none asked yet. */
async function waitingCandidates(api) {
  const page = await api.list('status=in_transit&limit=100');
  return page.items
    .filter((s) => s.eligibility.cancellable && s.eligibility.mode === 'carrier_request' && !s.cancellation)
    .map((s) => s.posting_number);
}

/** Asks the provider to cancel `pn` through the API, as another client would. */
async function requestCancellation(request, server, api, pn) {
  const { version } = await api.shipment(pn);
  const response = await request.post(`${server.url}/api/v1/shipments/${pn}/cancel`, {
    headers: { Authorization: `Bearer ${api.token}`, 'Idempotency-Key': `live-${pn}`, 'If-Match': `"${version}"` },
    data: { reason: 'customer_request' },
  });
  expect(response.status(), await response.text()).toBe(202);
}

/** Every request of the page that would be polling (one shipment read again), and the event streams. */
function watchRequests(page) {
  const seen = { polls: [], streams: [] };
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (request.method() === 'GET' && /^\/api\/v1\/shipments\/[^/]+$/.test(url.pathname) && url.pathname !== '/api/v1/shipments/counts') {
      seen.polls.push(url.pathname);
    }
    if (url.pathname === '/api/v1/events') {
      seen.streams.push({ search: url.search, authorization: request.headers().authorization ?? '' });
    }
  });
  return seen;
}

/** The stream is open: what changes from now on reaches the page. */
async function streamOpen(scope) {
  await expect(scope.locator('html')).toHaveAttribute('data-live', 'open');
}

/**
 * Holds the list's extras module (which reads the live stream) until `release` is called;
 * `extrasHeld` resolves once the app has asked for it.
 */
async function holdExtras(page) {
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  let extrasAsked;
  const extrasHeld = new Promise((resolve) => { extrasAsked = resolve; });
  await page.route(/\/split_list_extras-[0-9a-f]{16}\.wasm$/, async (route) => {
    extrasAsked();
    await released;
    await route.continue();
  });
  return { extrasHeld, release };
}

function expectStreamsCarryNoTokenInTheUrl(seen) {
  expect(seen.streams.length).toBeGreaterThan(0);
  for (const stream of seen.streams) {
    expect(stream.search).toBe('');
    expect(stream.authorization).toMatch(/^Bearer \S+$/);
  }
}

test("a provider's answer reaches the open list within a second", async ({ page, request, server }) => {
  const errors = watchErrors(page);
  const seen = watchRequests(page);
  const api = await sellerApi(request, server.url);
  const [pn] = await waitingCandidates(api);
  await requestCancellation(request, server, api, pn);

  await page.goto(`/?q=${encodeURIComponent(pn)}`);
  const row = shipmentRow(page, pn);
  await expect(row.locator('.cancellation-state')).toHaveText(/Cancellation requested from/);
  await streamOpen(page);
  await page.evaluate(() => { window.notReloaded = true; });

  const since = Date.now();
  const decided = await api.providerDecides(pn, 'reject', 'Already at the customs office');
  expect(decided.cancellation.state).toBe('rejected');
  await expect(row.locator('.cancellation-state')).toHaveText(/^Rejected by /, { timeout: remaining(since) });
  await expect(row.locator('.provider-message')).toHaveText('Already at the customs office');
  // Announced, as the provider's answer.
  await expect(page.getByRole('status').filter({ hasText: pn })).toContainText('Already at the customs office');
  expect(await page.evaluate(() => window.notReloaded)).toBe(true);

  expect(seen.polls).toEqual([]);
  expectStreamsCarryNoTokenInTheUrl(seen);
  expect(errors).toEqual([]);
});

test("inside the portal's frame, a provider's answer reaches the list within a second", async ({ page, request, server }) => {
  const errors = watchErrors(page);
  const seen = watchRequests(page);
  const api = await sellerApi(request, server.url);
  const [, pn] = await waitingCandidates(api);
  await requestCancellation(request, server, api, pn);

  await page.goto(server.portalUrl);
  const app = page.frameLocator('#app');
  await app.getByRole('searchbox', { name: 'Search' }).fill(pn);
  const row = shipmentRow(app, pn);
  await expect(row.locator('.cancellation-state')).toHaveText(/Cancellation requested from/);
  await streamOpen(app);

  const since = Date.now();
  const decided = await api.providerDecides(pn, 'approve');
  expect(decided.status).toBe('cancelled');
  await expect(row.locator('.badge')).toHaveText('Cancelled', { timeout: remaining(since) });
  await expect(row.locator('.cancellation-state')).toHaveText('Cancelled by you');

  // The frame talks to its own origin's API, with the token the portal handed over, in the header.
  expect(seen.polls).toEqual([]);
  expectStreamsCarryNoTokenInTheUrl(seen);
  expect(errors).toEqual([]);
});

test('a cancellation made in another tab appears in the first tab within a second', async ({ page, browser, request, server }) => {
  const errors = watchErrors(page);
  const seen = watchRequests(page);
  const api = await sellerApi(request, server.url);
  // Awaiting packaging or shipment at the seller's warehouse: cancelled at once.
  const { items } = await api.list('status=awaiting_packaging&limit=50');
  const pn = items.find((s) => s.eligibility.cancellable && s.eligibility.mode !== 'carrier_request').posting_number;

  await page.goto(`/?q=${encodeURIComponent(pn)}`);
  const row = shipmentRow(page, pn);
  await expect(row.locator('.badge')).not.toHaveText('Cancelled');
  await streamOpen(page);

  // The other tab: another browser context, signed in on its own.
  const other = await browser.newContext({ baseURL: server.url });
  try {
    const tab = await other.newPage();
    await tab.goto(`/?q=${encodeURIComponent(pn)}`);
    const dialog = await openDialog(tab, shipmentRow(tab, pn));
    await dialog.getByRole('radio', { name: REASON.customer_request }).check();
    const answer = tab.waitForResponse((r) => r.url().endsWith(`/shipments/${pn}/cancel`));
    const since = Date.now();
    await dialog.getByRole('button', CANCEL).click();
    expect((await answer).status()).toBe(200);
    await expect(row.locator('.badge')).toHaveText('Cancelled', { timeout: remaining(since) });
    await expect(row.getByRole('button', CANCEL)).toBeDisabled();
  } finally {
    await other.close();
  }

  expect(seen.polls).toEqual([]);
  expect(errors).toEqual([]);
});

test("a change made before the stream's module arrives reaches the list, with no second list request", async ({ page, request, server }) => {
  // The stream is read by the list's extras module, which comes after the first rows; its first
  // connection goes out when the page mounts (src/live/first.rs). A change made in between must
  // reach the list when the module arrives, without reading the list again.
  const errors = watchErrors(page);
  const lists = [];
  const streams = [];
  const streamAnswers = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname === '/api/v1/shipments') lists.push(url.search);
    if (url.pathname === '/api/v1/events') streams.push(url.search);
  });
  // The stream's answer means the server has subscribed the seller.
  page.on('response', (r) => {
    if (new URL(r.url()).pathname === '/api/v1/events') streamAnswers.push(r.status());
  });
  const { extrasHeld, release } = await holdExtras(page);
  const api = await sellerApi(request, server.url);
  const { items } = await api.list('status=awaiting_packaging&limit=50');
  const pn = items.filter((s) => s.eligibility.cancellable && s.eligibility.mode !== 'carrier_request').at(-1).posting_number;

  await page.goto(`/?q=${encodeURIComponent(pn)}`);
  const row = shipmentRow(page, pn);
  await expect(row.locator('.badge')).not.toHaveText('Cancelled');
  await page.evaluate(() => { window.notReloaded = true; });
  await extrasHeld;
  await expect.poll(() => streamAnswers, { message: 'the seller is subscribed while the module is held' }).toEqual([200]);
  // Nobody reads the stream yet.
  expect(await page.locator('html').getAttribute('data-live')).toBeNull();

  const { version } = await api.shipment(pn);
  const response = await request.post(`${server.url}/api/v1/shipments/${pn}/cancel`, {
    headers: { Authorization: `Bearer ${api.token}`, 'Idempotency-Key': `live-early-${pn}`, 'If-Match': `"${version}"` },
    data: { reason: 'customer_request' },
  });
  expect(response.status(), await response.text()).toBe(200);
  await expect(row.locator('.badge')).not.toHaveText('Cancelled');

  release();
  await expect(row.locator('.badge')).toHaveText('Cancelled');
  await expect(page.locator('html')).toHaveAttribute('data-live', 'open');
  expect(await page.evaluate(() => window.notReloaded)).toBe(true);
  // The list was asked for once (the first page), over one stream: the first connection's.
  expect(lists).toHaveLength(1);
  expect(streams).toEqual(['']);
  expect(errors).toEqual([]);
});

test("leaving the list before the stream's module arrives aborts its first connection, and the app keeps working", async ({ page }) => {
  const errors = watchErrors(page);
  const streams = [];
  const aborted = [];
  const isStream = (r) => new URL(r.url()).pathname === '/api/v1/events';
  page.on('request', (r) => { if (isStream(r)) streams.push(r.url()); });
  page.on('requestfailed', (r) => { if (isStream(r)) aborted.push(r.failure()?.errorText ?? ''); });
  const { extrasHeld, release } = await holdExtras(page);
  const sections = page.getByRole('navigation', { name: 'Sections' });

  await page.goto('/');
  await expect(page.locator('tr[data-posting-number]').first()).toBeVisible();
  await extrasHeld;
  expect(streams).toHaveLength(1);
  await sections.getByRole('link', { name: 'Cancellation history' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Cancellation history' })).toBeVisible();
  // The page's cleanup aborts the connection nobody took (src/live/first.rs, abandon).
  await expect.poll(() => aborted, { message: 'the first connection is aborted with its page' }).toHaveLength(1);
  expect(aborted[0]).toMatch(/ERR_ABORTED/);

  // The module arrives with no list to follow; back on the list, its stream reads the new page's
  // first connection.
  release();
  await sections.getByRole('link', { name: 'Orders from my warehouse' }).click();
  await expect(page.locator('tr[data-posting-number]').first()).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('data-live', 'open');
  expect(streams).toHaveLength(2);
  expect(errors).toEqual([]);
});

test.describe('with tokens that live 5 s', () => {
  /** Its own server: every token it signs expires after 5 s, the stream's too. */
  let short;
  test.beforeAll(async () => {
    short = await startServer({ portal: true, name: 'live-tokens', args: ['--token-ttl', '5', '--provider-delay', '3600'] });
  });
  test.afterAll(async () => {
    await short?.stop();
  });

  test('the stream renews its token through the portal when it expires, and keeps delivering', async ({ page, request }) => {
    const errors = watchErrors(page);
    const seen = watchRequests(page);
    const { items } = await (await sellerApi(request, short.url)).list('status=awaiting_packaging&limit=50');
    const pn = items.find((s) => s.eligibility.cancellable && s.eligibility.mode !== 'carrier_request').posting_number;

    await page.goto(short.portalUrl);
    const app = page.frameLocator('#app');
    await app.getByRole('searchbox', { name: 'Search' }).fill(pn);
    const row = shipmentRow(app, pn);
    await expect(row.locator('.badge')).not.toHaveText('Cancelled');
    await streamOpen(app);
    // The first stream ends with its token (`event: expired`); the app gets a new token from the
    // portal and connects again.
    await expect.poll(() => seen.streams.length, { timeout: 15_000 }).toBeGreaterThan(1);
    await streamOpen(app);

    // The test's own token expires too: a fresh one for the change.
    const api = await sellerApi(request, short.url);
    const { version } = await api.shipment(pn);
    const since = Date.now();
    const response = await request.post(`${short.url}/api/v1/shipments/${pn}/cancel`, {
      headers: { Authorization: `Bearer ${api.token}`, 'Idempotency-Key': `live-renewed-${pn}`, 'If-Match': `"${version}"` },
      data: { reason: 'customer_request' },
    });
    expect(response.status(), await response.text()).toBe(200);
    await expect(row.locator('.badge')).toHaveText('Cancelled', { timeout: remaining(since) });

    expectStreamsCarryNoTokenInTheUrl(seen);
    expect(seen.polls).toEqual([]);
    expect(errors).toEqual([]);
  });
});
