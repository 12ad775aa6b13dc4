// What the flow specs (specs/flows-*.spec.js) share: the demo seller's API, finding a shipment the
// way a seller would, and screenshots.
import path from 'node:path';
import { test as base, expect } from '@playwright/test';
import { artifactsDir } from './artifacts.js';
import { startServer } from './servers.js';

/**
 * `test` for a spec that changes data: its own server (fresh database, demo seed) for all of its
 * tests, as `server`, and the page's base URL pointing at it. `options` go to startServer.
 */
export function testWithOwnServer(options) {
  return base.extend({
    server: [
      async ({}, use) => {
        const server = await startServer(options);
        await use(server);
        await server.stop();
      },
      { scope: 'worker' },
    ],
    baseURL: async ({ server }, use) => use(server.url),
  });
}

export const SELLER = 's-1001';
export const CANCEL = { name: 'Cancel shipment', exact: true };

/** A showcase shipment of the demo data (crates/server/API.md, "Demo data"). */
export const showcase = (n) => `87654321-${String(n).padStart(4, '0')}-1`;

/** The marketplace's reason labels, as the dialog shows them. */
export const REASON = {
  out_of_stock: "The product is out of stock at the seller's warehouse",
  customer_request: 'The customer is asking to cancel the order',
  lost_by_carrier: 'The order is lost by the delivery service',
  undeliverable_address: "Delivery service doesn't deliver to the specified address",
  other: "Other (seller's fault)",
};

/**
 * Errors the page reports (uncaught exceptions and console errors), collected for the whole test.
 * `expected` lists patterns of console errors the test causes on purpose (a stopped server).
 */
export function watchErrors(page, expected = []) {
  const errors = [];
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    if (!expected.some((pattern) => pattern.test(text))) errors.push(`console: ${text}`);
  });
  return errors;
}

/** The demo seller's API, through the dev session of a demo server. */
export async function sellerApi(request, baseURL) {
  const session = await request.post(`${baseURL}/api/v1/dev/session`, { data: { seller_id: SELLER } });
  expect(session.ok()).toBeTruthy();
  const { token } = await session.json();
  const headers = { Authorization: `Bearer ${token}` };
  const json = async (response, what) => {
    expect(response.ok(), `${what}: ${response.status()} ${await response.text()}`).toBeTruthy();
    return response.json();
  };
  return {
    token,
    shipment: async (pn) => json(await request.get(`${baseURL}/api/v1/shipments/${pn}`, { headers }), `GET ${pn}`),
    list: async (query) => json(await request.get(`${baseURL}/api/v1/shipments?${query}`, { headers }), `GET ?${query}`),
    rate: async () => json(await request.get(`${baseURL}/api/v1/metrics/cancellation-rate`, { headers }), 'the rate'),
    product: async (sku) => json(await request.get(`${baseURL}/api/v1/products/${sku}`, { headers }), `product ${sku}`),
    geography: async () => json(await request.get(`${baseURL}/api/v1/delivery-geography`, { headers }), 'geography'),
    history: async (query = '') => json(await request.get(`${baseURL}/api/v1/history?${query}`, { headers }), `history ?${query}`),
    providers: async () => json(await request.get(`${baseURL}/api/v1/providers`, { headers }), 'providers'),
    /** The warehouse or carrier moves the shipment on (demo endpoint). */
    moveOn: async (pn, status) =>
      json(
        await request.post(`${baseURL}/api/v1/dev/shipments/${pn}/status`, { headers, data: { status } }),
        `move ${pn} to ${status}`,
      ),
    /** The provider answers the shipment's waiting request now (demo endpoint). */
    providerDecides: async (pn, decision, message) =>
      json(
        await request.post(`${baseURL}/api/v1/dev/shipments/${pn}/provider-decision`, {
          headers,
          data: message ? { decision, message } : { decision },
        }),
        `the provider decides ${pn}`,
      ),
  };
}

/** The row of a shipment in the shipments table. */
export function shipmentRow(page, pn) {
  return page.getByRole('table', { name: 'Shipments' }).locator(`tr[data-posting-number="${pn}"]`);
}

/** Opens the list searched for one posting number, as a seller pasting it would, and returns its row. */
export async function findShipment(page, pn) {
  await page.goto(`/?q=${encodeURIComponent(pn)}`);
  const row = shipmentRow(page, pn);
  await expect(row).toBeVisible();
  return row;
}

/** Opens the cancellation dialog of a row. */
export async function openDialog(page, row) {
  await row.getByRole('button', CANCEL).click();
  const dialog = page.getByRole('dialog', { name: 'Cancel shipment' });
  await expect(dialog).toBeVisible();
  return dialog;
}

/** The names of the reason radios a dialog offers, in order. */
export async function offeredReasons(dialog) {
  const radios = dialog.getByRole('group', { name: 'Cancellation reason' }).getByRole('radio');
  const names = [];
  for (const radio of await radios.all()) {
    names.push((await radio.evaluate((input) => input.labels?.[0]?.textContent ?? '')).trim());
  }
  return names;
}

export async function screenshot(page, name) {
  await page.screenshot({ path: path.join(artifactsDir, name), fullPage: false });
}

/** Every request the page sends to cancel shipments, with its Idempotency-Key. */
export function watchCancelRequests(page) {
  const sent = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && /\/api\/v1\/shipments\/(.+\/)?cancel$/.test(new URL(request.url()).pathname)) {
      sent.push({ url: request.url(), key: request.headers()['idempotency-key'], ifMatch: request.headers()['if-match'] });
    }
  });
  return sent;
}
