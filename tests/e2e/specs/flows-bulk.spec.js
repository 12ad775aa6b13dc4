// Several shipments at once: the pre-check says which are skipped and why, a progress bar runs, the
// results come per shipment, and the failed ones can be retried under the same key.
import { expect } from '@playwright/test';
import {
  REASON, screenshot, sellerApi, shipmentRow, showcase, testWithOwnServer, watchErrors,
} from '../flows.js';

const test = testWithOwnServer({ name: 'flows-bulk', args: ['--provider-delay', '3600'] });

/** Every bulk request the page sends, with its key and the shipments it names. */
function watchBulkRequests(page) {
  const sent = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/v1/shipments/cancel') {
      sent.push({ key: request.headers()['idempotency-key'], body: request.postDataJSON() });
    }
  });
  return sent;
}

test('selected rows of mixed eligibility: pre-check, progress, per-shipment results, and a retry of the failed ones', async ({ page, request, server }) => {
  // The first attempts are cut off on purpose; the browser logs them.
  const errors = watchErrors(page, [/net::ERR_FAILED|Failed to fetch/]);
  const api = await sellerApi(request, server.url);
  const sent = watchBulkRequests(page);
  const cancellable = [showcase(6), showcase(8)]; // awaiting shipment (China Post), ready for shipment (partner)
  const requested = showcase(22); // in transit with 4PX, after a rejected request: may ask again
  const skipped = {
    [showcase(12)]: 'If you deliver via China Post, you can\'t cancel the order in the “In transit” status.',
    [showcase(13)]: 'Only orders delivered via a partner service can be cancelled in the “In transit” status.',
    [showcase(15)]: "This shipment has been delivered, so it can't be cancelled.",
    [showcase(20)]: 'A cancellation request was sent to the delivery provider and is waiting for an answer.',
  };
  const chosen = [...cancellable, requested, ...Object.keys(skipped)];
  const versions = {};
  for (const pn of Object.keys(skipped)) versions[pn] = (await api.shipment(pn)).version;

  // The showcase shipments share a prefix; one search finds them all, and the table shows the
  // first 20 of its rows, more as the seller scrolls.
  await page.goto('/?q=87654321-00');
  for (const pn of chosen) {
    const box = page.getByRole('checkbox', { name: `Select shipment ${pn}` });
    await expect.poll(async () => {
      await page.locator('.sentinel').scrollIntoViewIfNeeded();
      return box.count();
    }).toBe(1);
    await box.check();
  }
  const bar = page.getByRole('region', { name: 'Cancel selected shipments' });
  await expect(bar).toContainText('7 shipments selected');
  await bar.getByRole('button', { name: 'Cancel selected shipments' }).click();

  const dialog = page.getByRole('dialog', { name: 'Cancel several shipments' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('radio', { name: REASON.customer_request }).check();
  await expect(dialog.getByText('3 shipments will be cancelled.')).toBeVisible();
  await expect(dialog.getByText('4 shipments will be skipped:')).toBeVisible();
  const list = dialog.locator('ul.skipped li');
  await expect(list).toHaveCount(4);
  for (const [pn, why] of Object.entries(skipped)) {
    await expect(list.filter({ hasText: pn })).toHaveText(`${pn}: ${why}`);
  }
  await screenshot(page, 'bulk-precheck.png');

  // The network fails for the first attempts: the first is held until the progress bar is checked.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  let attempts = 0;
  await page.route('**/api/v1/shipments/cancel', async (route) => {
    attempts += 1;
    if (attempts === 1) await held;
    if (attempts <= 3) await route.abort('failed');
    else await route.continue();
  });
  await dialog.getByRole('button', { name: 'Cancel 3 shipments' }).click();
  await expect(dialog.getByRole('progressbar', { name: 'Cancelling shipments' })).toBeVisible();
  await expect(dialog.getByText('0 of 3 processed')).toBeVisible();
  await screenshot(page, 'bulk-progress.png');
  release();

  const summary = dialog.getByRole('status').filter({ hasText: 'requested from providers' });
  await expect(summary).toHaveText('0 cancelled, 0 requested from providers, 4 skipped, 3 failed.', { timeout: 15_000 });
  for (const pn of [...cancellable, requested]) {
    await expect(dialog.getByRole('row', { name: new RegExp(`^${pn} Failed: `) })).toBeVisible();
  }
  expect((await api.shipment(cancellable[0])).status).toBe('awaiting_shipment');

  await dialog.getByRole('button', { name: 'Retry the failed ones' }).click();
  await expect(summary).toHaveText('2 cancelled, 1 requested from providers, 4 skipped, 0 failed.', { timeout: 15_000 });
  for (const pn of cancellable) await expect(dialog.getByRole('row', { name: `${pn} Cancelled` })).toBeVisible();
  await expect(dialog.getByRole('row', { name: `${requested} Cancellation requested from 4PX` })).toBeVisible();
  for (const pn of Object.keys(skipped)) {
    await expect(dialog.getByRole('row', { name: new RegExp(`^${pn} Skipped: `) })).toBeVisible();
  }
  await expect(dialog.getByRole('button', { name: 'Retry the failed ones' })).toBeHidden();
  await screenshot(page, 'bulk-results.png');

  // The batch that got no answer went again under its own key, and only the allowed shipments went.
  expect(sent.length).toBe(4);
  expect(new Set(sent.map((s) => s.key)).size).toBe(1);
  expect(new Set(sent.at(-1).body.posting_numbers)).toEqual(new Set([...cancellable, requested]));

  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toBeHidden();
  await expect(shipmentRow(page, cancellable[0]).locator('.badge')).toHaveText('Cancelled');
  await expect(shipmentRow(page, requested).locator('.cancellation-state')).toHaveText('Cancellation requested from 4PX');
  await expect(bar).toBeHidden();
  for (const pn of cancellable) expect((await api.shipment(pn)).status).toBe('cancelled');
  expect((await api.shipment(requested)).cancellation.state).toBe('requested');
  // The skipped ones were left alone.
  for (const pn of Object.keys(skipped)) expect((await api.shipment(pn)).version, pn).toBe(versions[pn]);
  expect(errors).toEqual([]);
});

test('everything the filter matches, over several pages: the pre-check agrees with the rules and every shipment gets a result', async ({ page, request, server }) => {
  const errors = watchErrors(page);
  const api = await sellerApi(request, server.url);
  const sent = watchBulkRequests(page);
  // In transit: more than a page; only partner deliveries without a waiting request may say "lost".
  const all = [];
  for (let cursor = null, first = true; first || cursor; first = false) {
    const page = await api.list(`status=in_transit&limit=200${cursor ? `&cursor=${cursor}` : ''}`);
    all.push(...page.items);
    cursor = page.next_cursor;
  }
  const allowed = all.filter((s) => s.eligibility.reasons.includes('lost_by_carrier'));
  expect(all.length).toBeGreaterThan(50);
  expect(allowed.length).toBeGreaterThan(0);
  expect(allowed.length).toBeLessThan(all.length);

  await page.goto('/?status=in_transit');
  // "All matching" is judged by the server: the app downloads no page of them.
  const listPages = [];
  const prechecks = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname === '/api/v1/shipments') listPages.push(url.search);
    if (url.pathname === '/api/v1/shipments/cancel/precheck') prechecks.push(r.postDataJSON());
  });
  await page.getByRole('checkbox', { name: 'Select all shown shipments' }).check();
  const bar = page.getByRole('region', { name: 'Cancel selected shipments' });
  // "Shown" is the rows in the table: the first 20, more as the seller scrolls.
  await expect(bar).toContainText('20 shipments selected');
  const pagesBefore = listPages.length;
  await bar.getByRole('button', { name: `Select all ${all.length} matching shipments` }).click();
  await expect(bar).toContainText(`${all.length} shipments selected`);
  await bar.getByRole('button', { name: 'Cancel selected shipments' }).click();

  const dialog = page.getByRole('dialog', { name: 'Cancel several shipments' });
  await dialog.getByRole('radio', { name: REASON.lost_by_carrier }).check();
  await expect(dialog.getByText(`${allowed.length} shipments will be cancelled.`)).toBeVisible();
  await expect(dialog.getByText(`${all.length - allowed.length} shipments will be skipped:`)).toBeVisible();
  // One line per reason for skipping, with its count, as the server's pre-check says.
  const codes = new Set(all.filter((s) => !allowed.includes(s)).map((s) => s.eligibility.blocked ?? 'reason_not_offered'));
  await expect(dialog.locator('ul.skipped li')).toHaveCount(codes.size);
  expect(prechecks.at(-1)).toMatchObject({ filter: { status: ['in_transit'] }, reason: 'lost_by_carrier' });
  expect(listPages.length, listPages.join(' ')).toBe(pagesBefore);

  await dialog.getByRole('button', { name: `Cancel ${allowed.length} shipments` }).click();
  await expect(dialog.getByRole('status').filter({ hasText: 'requested from providers' })).toHaveText(
    `0 cancelled, ${allowed.length} requested from providers, ${all.length - allowed.length} skipped, 0 failed.`,
    { timeout: 20_000 },
  );
  await expect(dialog.locator('.results-table tbody tr')).toHaveCount(allowed.length);
  // Batches of at most 20, each its own intent.
  expect(sent.length).toBe(Math.ceil(allowed.length / 20));
  expect(new Set(sent.map((s) => s.key)).size).toBe(sent.length);

  const after = new Map((await api.list('status=in_transit&limit=200')).items.map((s) => [s.posting_number, s]));
  for (const shipment of allowed) {
    expect(after.get(shipment.posting_number)?.cancellation, shipment.posting_number)
      .toMatchObject({ state: 'requested', reason: 'lost_by_carrier' });
  }
  expect(errors).toEqual([]);
});
