// What the seller is offered after a cancellation: new stock or archiving after "out of stock";
// stopping delivery to the city and cancelling its other shipments after "undeliverable address".
import { expect } from '@playwright/test';
import {
  CANCEL, REASON, findShipment, openDialog, screenshot, sellerApi, showcase, testWithOwnServer, watchErrors,
} from '../flows.js';

const test = testWithOwnServer({ name: 'flows-followups' });

/** Cancels a shipment for a reason through its dialog and returns its row. */
async function cancelFor(page, pn, reason) {
  const row = await findShipment(page, pn);
  const dialog = await openDialog(page, row);
  await dialog.getByRole('radio', { name: reason }).check();
  const answer = page.waitForResponse((r) => r.url().endsWith(`/shipments/${pn}/cancel`));
  await dialog.getByRole('button', CANCEL).click();
  expect((await answer).status()).toBe(200);
  await expect(dialog).toBeHidden();
  await expect(row.locator('.badge')).toHaveText('Cancelled');
  return row;
}

const stockAt = (product, warehouse) => product.stock.find((s) => s.warehouse_id === warehouse)?.quantity;

test('out of stock: the stock is reset, then a new quantity is validated and saved, and a product is archived after a confirmation', async ({ page, request, server }) => {
  const errors = watchErrors(page);
  const api = await sellerApi(request, server.url);
  const pn = showcase(26); // awaiting shipment at wh-guangzhou: Bluetooth speaker × 2, Car phone holder × 1
  expect(stockAt(await api.product('1007'), 'wh-guangzhou')).toBeGreaterThan(0);

  const row = await findShipment(page, pn);
  const dialog = await openDialog(page, row);
  await dialog.getByRole('radio', { name: REASON.out_of_stock }).check();
  await expect(dialog.getByText(
    'The product quantity in your warehouse will automatically reset to zero: Bluetooth speaker (SKU 1007), Car phone holder (SKU 1008) at wh-guangzhou.',
    { exact: false },
  )).toBeVisible();
  await dialog.getByRole('button', CANCEL).click();
  await expect(dialog).toBeHidden();
  expect(stockAt(await api.product('1007'), 'wh-guangzhou')).toBe(0);
  expect(stockAt(await api.product('1008'), 'wh-guangzhou')).toBe(0);

  const next = page.getByRole('region', { name: 'What you can do next' });
  await expect(next).toBeVisible();
  const quantity = next.getByRole('spinbutton', { name: 'New quantity of Bluetooth speaker at wh-guangzhou' });
  const speaker = next.locator('.follow-up-item').filter({
    has: page.getByRole('spinbutton', { name: 'New quantity of Bluetooth speaker at wh-guangzhou' }),
  });
  const save = speaker.getByRole('button', { name: 'Save quantity' });

  await quantity.fill('-2');
  await save.click();
  await expect(speaker.getByRole('alert')).toHaveText('Enter a whole number from 0 to 1,000,000.');
  await quantity.fill('2000000');
  await save.click();
  await expect(speaker.getByRole('alert')).toHaveText('Enter a whole number from 0 to 1,000,000.');
  expect(stockAt(await api.product('1007'), 'wh-guangzhou')).toBe(0);
  await quantity.fill('25');
  await save.click();
  await expect(speaker.getByRole('status')).toHaveText('Saved: Bluetooth speaker now has quantity 25.');
  expect(stockAt(await api.product('1007'), 'wh-guangzhou')).toBe(25);

  const holder = next.locator('.follow-up-item').filter({
    has: page.getByRole('spinbutton', { name: 'New quantity of Car phone holder at wh-guangzhou' }),
  });
  await holder.getByRole('button', { name: 'Archive Car phone holder' }).click();
  const confirm = holder.getByRole('group', { name: 'Archive Car phone holder' });
  await expect(confirm).toContainText("Archive Car phone holder? You won't sell it until you restore it.");
  await confirm.getByRole('button', { name: 'Keep product' }).click();
  await expect(confirm).toBeHidden();
  expect((await api.product('1008')).archived).toBe(false);
  await holder.getByRole('button', { name: 'Archive Car phone holder' }).click();
  await holder.getByRole('group', { name: 'Archive Car phone holder' }).getByRole('button', { name: 'Archive', exact: true }).click();
  await expect(holder.getByRole('status')).toHaveText('Car phone holder is archived.');
  expect((await api.product('1008')).archived).toBe(true);
  // An archived product takes no new stock.
  await expect(holder.getByRole('button', { name: 'Save quantity' })).toBeDisabled();
  await next.scrollIntoViewIfNeeded();
  await screenshot(page, 'follow-up-out-of-stock.png');
  expect(errors).toEqual([]);
});

test('undeliverable address: the city is excluded, and the other cancellable shipments to it are cancelled in one bulk step with the reason preset', async ({ page, request, server }) => {
  const errors = watchErrors(page);
  const api = await sellerApi(request, server.url);
  const pn = showcase(27); // awaiting packaging to Yakutsk; 0028–0030 go there too
  const others = [showcase(28), showcase(29), showcase(30)];

  await cancelFor(page, pn, REASON.undeliverable_address);
  const next = page.getByRole('region', { name: 'What you can do next' });
  await expect(next).toBeVisible();

  const exclude = next.getByRole('button', { name: 'Stop delivering to Yakutsk, RU' });
  await exclude.click();
  await expect(next.getByRole('status')).toHaveText('Yakutsk is removed from your delivery geography.');
  await expect(exclude).toBeDisabled();
  expect((await api.geography()).exclusions).toContainEqual({ country: 'RU', city: 'Yakutsk' });

  await next.getByRole('button', { name: 'Cancel my other shipments to Yakutsk' }).click();
  const bulk = page.getByRole('dialog', { name: 'Cancel several shipments' });
  await expect(bulk).toBeVisible();
  await expect(bulk).toContainText('3 shipments selected');
  await expect(bulk.getByRole('radio', { name: REASON.undeliverable_address })).toBeChecked();
  await expect(bulk.getByText('3 shipments will be cancelled.')).toBeVisible();
  await bulk.getByRole('button', { name: 'Cancel 3 shipments' }).click();
  await expect(bulk.getByRole('status').filter({ hasText: 'cancelled,' })).toHaveText(
    '3 cancelled, 0 requested from providers, 0 skipped, 0 failed.',
  );
  for (const other of others) await expect(bulk.getByRole('row', { name: `${other} Cancelled` })).toBeVisible();
  await screenshot(page, 'follow-up-undeliverable.png');
  await bulk.getByRole('button', { name: 'Done' }).click();
  await expect(bulk).toBeHidden();

  for (const other of others) {
    const stored = await api.shipment(other);
    expect(stored.status, other).toBe('cancelled');
    expect(stored.cancellation.reason, other).toBe('undeliverable_address');
  }
  expect(errors).toEqual([]);
});
