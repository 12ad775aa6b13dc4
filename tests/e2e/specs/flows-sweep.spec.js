// Out of stock, across shipments: after an out-of-stock cancellation the follow-up asks the server,
// once, which other shipments before handover at that warehouse hold the product, and removes it from
// them in one step: a partial cancellation where other products remain, a whole cancellation where it
// was the only product, a packed one skipped, each with its result. Its own server, seeded with the
// demo data plus that mix at a warehouse of its own.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from '@playwright/test';
import { CANCEL, REASON, findShipment, openDialog, screenshot, sellerApi, testWithOwnServer, watchErrors } from '../flows.js';

const WAREHOUSE = 'wh-sweep';
const CABLE = { sku: '9001', name: 'USB cable' };
const CHARGER = { sku: '9002', name: 'Wall charger' };
const pn = (n) => `78000000-000${n}-1`;

/** The demo fixture plus five shipments of the demo seller that hold the cable at WAREHOUSE. */
function sweepFixture() {
  const demo = JSON.parse(fs.readFileSync(process.env.E2E_DEMO_FIXTURE, 'utf8'));
  const seller = demo.sellers.find((s) => s.id === 's-1001');
  const template = seller.shipments.find((s) => s.status === 'awaiting_packaging' && s.delivery.method === 'seller');
  const line = (product, quantity) => ({ ...product, quantity, price: '2.50', currency: 'USD' });
  const add = (n, status, products) => seller.shipments.push({
    ...template,
    posting_number: pn(n),
    order_number: `78000000-000${n}`,
    status,
    warehouse_id: WAREHOUSE,
    products,
    cancellation: null,
    provider_decision: null,
  });
  add(1, 'awaiting_packaging', [line(CABLE, 1)]); // the one the seller cancels
  add(2, 'awaiting_packaging', [line(CABLE, 2), line(CHARGER, 1)]); // loses the cable
  add(3, 'awaiting_packaging', [line(CABLE, 1)]); // only the cable: cancelled
  add(4, 'awaiting_shipment', [line(CHARGER, 1), line(CABLE, 1)]); // packed: skipped
  add(5, 'in_transit', [line(CABLE, 1)]); // handed over: not one of them
  const file = path.join(process.env.E2E_SCRATCH_DIR, `sweep-${process.pid}.json`);
  fs.writeFileSync(file, JSON.stringify(demo));
  return file;
}

const test = testWithOwnServer({ name: 'sweep', seed: sweepFixture() });

test('after an out-of-stock cancellation, the product is removed from the other shipments at the warehouse in one step, with a result for each', async ({ page, request, baseURL }) => {
  const errors = watchErrors(page);
  const api = await sellerApi(request, baseURL);
  const row = await findShipment(page, pn(1));

  const apiCalls = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname.startsWith('/api/')) apiCalls.push(`${r.method()} ${url.pathname}${url.search}`);
  });
  const dialog = await openDialog(page, row);
  await dialog.getByRole('radio', { name: REASON.out_of_stock }).check();
  await dialog.getByRole('button', CANCEL).click();
  await expect(dialog).toBeHidden();

  const next = page.getByRole('region', { name: 'What you can do next' });
  const sweep = next.locator('.sweep');
  await expect(sweep.getByRole('heading', { name: 'Other shipments with USB cable' })).toBeVisible();
  await expect(sweep.getByText(`Other shipments before handover at ${WAREHOUSE} that hold USB cable: 3 shipments.`)).toBeVisible();
  // Found on the server in one request; no page of the list was downloaded for it.
  expect(apiCalls.filter((c) => c.startsWith('POST /api/v1/shipments/remove-product/precheck'))).toHaveLength(1);
  expect(apiCalls.filter((c) => c.includes('cursor='))).toEqual([]);

  await sweep.getByRole('button', { name: 'Remove USB cable from them' }).click();
  const confirm = sweep.getByRole('group', { name: 'Other shipments with USB cable' });
  await expect(confirm).toContainText('1 shipment keeps its other products and loses this one');
  await expect(confirm).toContainText('1 shipment holds only this product and will be cancelled');
  await expect(confirm).toContainText("1 shipment can't be changed:");
  // Nothing changes before the seller confirms.
  expect((await api.shipment(pn(2))).products).toHaveLength(2);
  await confirm.getByRole('button', { name: 'Remove from 2 shipments' }).click();

  await expect(sweep.getByRole('status').filter({ hasText: 'lost the product' })).toHaveText(
    '1 lost the product, 1 cancelled, 1 skipped, 0 failed.',
  );
  const results = sweep.getByRole('table', { name: 'What happened to each shipment' });
  await expect(results.getByRole('row', { name: new RegExp(pn(2)) })).toContainText('Product removed; the others stay');
  await expect(results.getByRole('row', { name: new RegExp(pn(3)) })).toContainText('Cancelled');
  expect(apiCalls.filter((c) => c === 'POST /api/v1/shipments/remove-product')).toHaveLength(1);

  // The server agrees: the cable left the mixed shipment, the cable-only one is cancelled, the
  // packed one and the one in transit are as they were, and the cable has no stock there.
  const mixed = await api.shipment(pn(2));
  expect(mixed.products.map((p) => p.sku)).toEqual([CHARGER.sku]);
  expect(mixed.cancelled_items).toEqual([expect.objectContaining({ sku: CABLE.sku, quantity: 2, reason: 'out_of_stock' })]);
  expect((await api.shipment(pn(3))).status).toBe('cancelled');
  expect((await api.shipment(pn(4))).products).toHaveLength(2);
  expect((await api.shipment(pn(5))).products).toHaveLength(1);
  const cable = await api.product(CABLE.sku);
  expect(cable.stock.find((s) => s.warehouse_id === WAREHOUSE)?.quantity).toBe(0);

  await sweep.scrollIntoViewIfNeeded();
  await screenshot(page, 'follow-up-sweep.png');
  expect(errors).toEqual([]);
});
