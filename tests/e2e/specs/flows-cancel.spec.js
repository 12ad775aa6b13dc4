// Cancelling one shipment: the dialog, a cancellation that cancels now, the server going away in the
// middle of it, a lost answer, and a shipment that changed while the dialog was open (412).
import { expect } from '@playwright/test';
import {
  CANCEL, REASON, testWithOwnServer, findShipment, offeredReasons, openDialog, screenshot, sellerApi, shipmentRow, showcase,
  watchCancelRequests, watchErrors,
} from '../flows.js';

// This spec cancels shipments and stops its server: it gets a server of its own. Provider requests
// wait an hour, so that nothing changes on its own while a test looks.
const test = testWithOwnServer({ name: 'flows-cancel', args: ['--provider-delay', '3600'] });

const BEFORE_HANDOVER = [REASON.out_of_stock, REASON.customer_request, REASON.undeliverable_address, REASON.other];
const IN_TRANSIT_PARTNER = [REASON.customer_request, REASON.lost_by_carrier, REASON.other];
// The rate preview: "Cancellation rate over 14 days: 8.1% → 8.4% (threshold 10.0%)."
// Percentages come from the browser's Intl for the active locale.
const RATE_PREVIEW = /Cancellation rate over 14 days: \d+\.\d%\s*→\s*\d+\.\d% \(threshold 10\.0%\)/;

test('a cancellation that cancels now: allowed reasons, a described "other", the rate preview, the row updated in place', async ({ page, request, server }) => {
  const errors = watchErrors(page);
  const api = await sellerApi(request, server.url);
  const pn = showcase(2); // awaiting packaging, partner delivery (YunExpress)
  const before = await api.rate();

  // The tab of its status, so that the row sits among others: the showcase's, since the demo's
  // newer shipments awaiting packaging (issue 14's) fill the tab's first page.
  await page.goto('/?status=awaiting_packaging&q=87654321-00');
  const row = shipmentRow(page, pn);
  await expect(row).toBeVisible();
  const rows = page.getByRole('table', { name: 'Shipments' }).locator('tbody tr');
  const index = await row.evaluate((tr) => [...tr.parentElement.children].indexOf(tr));
  const count = await rows.count();

  const dialog = await openDialog(page, row);
  await expect(dialog).toContainText(pn);
  expect(await offeredReasons(dialog)).toEqual(BEFORE_HANDOVER);
  await expect(dialog.getByText('The shipment is cancelled now.')).toBeVisible();

  // "Other" needs a description, counted live.
  await dialog.getByRole('radio', { name: REASON.other }).check();
  const description = dialog.getByRole('textbox', { name: 'Describe the reason' });
  await expect(description).toBeVisible();
  await expect(dialog.locator('.counter')).toHaveText('0 / 500');
  const confirm = dialog.getByRole('button', CANCEL);
  await confirm.click();
  await expect(dialog.getByText('Describe the reason: a description is required.')).toBeVisible();
  await expect(description).toBeFocused();
  await description.fill('x'.repeat(501));
  await expect(dialog.locator('.counter')).toHaveText('501 / 500');
  await expect(dialog.getByText('The description is too long.')).toBeVisible();
  const words = 'Packed the wrong colour; the customer gets a new order';
  await description.fill(words);
  await expect(dialog.locator('.counter')).toHaveText(`${words.length} / 500`);
  await expect(dialog.locator('.field-error')).toHaveCount(0);
  await expect(dialog.getByText(RATE_PREVIEW)).toBeVisible();
  await screenshot(page, 'dialog-other.png');

  const answer = page.waitForResponse((r) => r.url().endsWith(`/shipments/${pn}/cancel`));
  await confirm.click();
  expect((await answer).status()).toBe(200);

  await expect(dialog).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: `Shipment ${pn} is cancelled.` })).toBeVisible();
  // In place: the same row, where it was, now cancelled.
  await expect(row.locator('.badge')).toHaveText('Cancelled');
  await expect(row).toContainText('Cancelled by you');
  await expect(row).toContainText(`Reason: ${REASON.other}`);
  await expect(row.getByRole('button', CANCEL)).toBeDisabled();
  await expect(rows).toHaveCount(count);
  expect(await row.evaluate((tr) => [...tr.parentElement.children].indexOf(tr))).toBe(index);
  await screenshot(page, 'cancelled-now.png');

  const stored = await api.shipment(pn);
  expect(stored.status).toBe('cancelled');
  expect(stored.cancellation).toMatchObject({ state: 'cancelled', reason: 'other', comment: words, initiator: 'seller' });
  expect((await api.rate()).seller_cancellations).toBe(before.seller_cancellations + 1);
  expect(errors).toEqual([]);
});

test('the server stops mid-flow: the dialog keeps what was typed, and Retry after the restart cancels exactly once with the same key', async ({ page, request, server }) => {
  // The stopped server makes the browser log the refused connections; nothing else may fail.
  const errors = watchErrors(page, [/ERR_CONNECTION_REFUSED|Failed to fetch|net::ERR/]);
  const api = await sellerApi(request, server.url);
  const pn = showcase(3); // awaiting packaging, China Post
  const before = await api.rate();
  const version = (await api.shipment(pn)).version;
  const sent = watchCancelRequests(page);

  const row = await findShipment(page, pn);
  const dialog = await openDialog(page, row);
  await dialog.getByRole('radio', { name: REASON.other }).check();
  const words = 'The buyer paid for express delivery we cannot offer';
  await dialog.getByRole('textbox', { name: 'Describe the reason' }).fill(words);

  await server.stop();
  try {
    await dialog.getByRole('button', CANCEL).click();
    // The automatic retries run out, then the seller decides.
    await expect(dialog.getByRole('alert')).toHaveText(
      'The server could not be reached. Check your connection and try again.',
      { timeout: 15_000 },
    );
    // Beside the Retry button, in view, even though the dialog's body scrolls.
    await expect(dialog.getByRole('alert')).toBeInViewport();
    await expect(dialog.getByRole('button', { name: 'Retry' })).toBeVisible();
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('radio', { name: REASON.other })).toBeChecked();
    await expect(dialog.getByRole('textbox', { name: 'Describe the reason' })).toHaveValue(words);
    await expect(dialog.getByRole('button', CANCEL)).toBeEnabled();
    await screenshot(page, 'server-down.png');
    expect(sent.length).toBeGreaterThanOrEqual(2);
  } finally {
    await server.start();
  }

  const answer = page.waitForResponse((r) => r.url().endsWith(`/shipments/${pn}/cancel`));
  await dialog.getByRole('button', { name: 'Retry' }).click();
  expect((await answer).status()).toBe(200);
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: `Shipment ${pn} is cancelled.` })).toBeVisible();
  await expect(row.locator('.badge')).toHaveText('Cancelled');

  // One intent, one key: every attempt, before and after the restart, carried the same key and version.
  const keys = new Set(sent.map((s) => s.key));
  expect(keys.size, JSON.stringify(sent)).toBe(1);
  expect([...keys][0]).toBeTruthy();
  expect(new Set(sent.map((s) => s.ifMatch))).toEqual(new Set([`"${version}"`]));
  // Exactly one cancellation: cancelled once (one version step), counted once in the rate.
  const stored = await api.shipment(pn);
  expect(stored.status).toBe('cancelled');
  expect(stored.cancellation.comment).toBe(words);
  expect(stored.version).toBe(version + 1);
  expect((await api.rate()).seller_cancellations).toBe(before.seller_cancellations + 1);
  expect(errors).toEqual([]);
});

test('an answer lost on the way back: the automatic retry replays the stored outcome and nothing is cancelled twice', async ({ page, request, server }) => {
  const errors = watchErrors(page, [/ERR_CONNECTION_RESET|Failed to fetch|net::ERR/]);
  const api = await sellerApi(request, server.url);
  const pn = showcase(4); // awaiting packaging, own delivery
  const before = await api.rate();
  const version = (await api.shipment(pn)).version;
  const sent = watchCancelRequests(page);

  // The first request reaches the server, which cancels; its answer never reaches the page.
  let lost = 0;
  await page.route(`**/api/v1/shipments/${pn}/cancel`, async (route) => {
    if (lost === 0) {
      lost += 1;
      await route.fetch();
      await route.abort('connectionreset');
    } else {
      await route.continue();
    }
  });

  const row = await findShipment(page, pn);
  const dialog = await openDialog(page, row);
  await dialog.getByRole('radio', { name: REASON.customer_request }).check();
  await expect(dialog.getByText('Such cancellations are already included in the allowed cancellation rate.')).toBeVisible();
  const replay = page.waitForResponse((r) => r.url().endsWith(`/shipments/${pn}/cancel`) && r.status() === 200);
  await dialog.getByRole('button', CANCEL).click();
  const replayed = await replay;
  expect(replayed.headers()['idempotent-replayed']).toBe('true');
  await expect(dialog).toBeHidden();
  await expect(row.locator('.badge')).toHaveText('Cancelled');

  expect(sent).toHaveLength(2);
  expect(sent[0].key).toBe(sent[1].key);
  const stored = await api.shipment(pn);
  expect(stored.version).toBe(version + 1);
  expect((await api.rate()).seller_cancellations).toBe(before.seller_cancellations + 1);
  expect(errors).toEqual([]);
});

test('the shipment changes while the dialog is open: the app shows its state now, checks the rules again and says what changed', async ({ page, request, server }) => {
  // The browser logs the 412 answer itself; the app handles it.
  const errors = watchErrors(page, [/status of 412/]);
  const api = await sellerApi(request, server.url);
  const pn = showcase(5); // awaiting shipment, partner delivery (YunExpress)
  const sent = watchCancelRequests(page);

  const row = await findShipment(page, pn);
  const dialog = await openDialog(page, row);
  expect(await offeredReasons(dialog)).toEqual(BEFORE_HANDOVER);
  await dialog.getByRole('radio', { name: REASON.out_of_stock }).check();
  await expect(dialog.getByText(/will automatically reset to zero/)).toBeVisible();

  // Meanwhile the carrier picks the parcel up.
  await api.moveOn(pn, 'in_transit');

  const refused = page.waitForResponse((r) => r.url().endsWith(`/shipments/${pn}/cancel`));
  await dialog.getByRole('button', CANCEL).click();
  expect((await refused).status()).toBe(412);
  const changed = dialog.getByRole('alert');
  await expect(changed).toContainText('This shipment changed since you opened it:');
  await expect(changed).toContainText('The status is now “In transit”.');
  await expect(dialog.locator('dd').filter({ hasText: 'In transit' })).toBeVisible();
  // The rules again: out of stock is no longer offered, and cancelling is now a request.
  expect(await offeredReasons(dialog)).toEqual(IN_TRANSIT_PARTNER);
  for (const radio of await dialog.getByRole('radio').all()) await expect(radio).not.toBeChecked();
  await expect(dialog.getByText(/A cancellation request is sent to YunExpress/)).toBeVisible();
  await expect(row.locator('.badge')).toHaveText('In transit');
  await screenshot(page, 'dialog-changed.png');

  await dialog.getByRole('radio', { name: REASON.customer_request }).check();
  const requested = page.waitForResponse((r) => r.url().endsWith(`/shipments/${pn}/cancel`));
  await dialog.getByRole('button', CANCEL).click();
  expect((await requested).status()).toBe(202);
  await expect(dialog).toBeHidden();
  await expect(row).toContainText('Cancellation requested from YunExpress');

  // The second confirmation is a new intent: a new key, for the version the seller now saw.
  expect(sent).toHaveLength(2);
  expect(sent[1].key).not.toBe(sent[0].key);
  expect(sent[1].ifMatch).not.toBe(sent[0].ifMatch);
  const stored = await api.shipment(pn);
  expect(stored.cancellation).toMatchObject({ state: 'requested', reason: 'customer_request' });
  expect(errors).toEqual([]);
});
