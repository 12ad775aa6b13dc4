// A commercial shipment (more than 3 identical products): the warning and its alternatives in the
// dialog, and splitting into parcels of at most 3 identical products while it awaits packaging.
import { expect } from '@playwright/test';
import {
  REASON, findShipment, openDialog, screenshot, sellerApi, showcase, testWithOwnServer, watchErrors,
} from '../flows.js';

const test = testWithOwnServer({ name: 'flows-split' });

const COMMERCIAL = 'More than 3 identical products: customs may consider this order a commercial shipment and cancel it.';

test('the commercial warning offers the customer reason and a split; the split dialog validates each parcel and splits', async ({ page, request, server }) => {
  const errors = watchErrors(page);
  const api = await sellerApi(request, server.url);
  const pn = showcase(24); // awaiting packaging: Screen protector × 5, Phone case × 1
  const order = '87654321-0024';

  const row = await findShipment(page, pn);
  await expect(row.getByText(COMMERCIAL)).toBeVisible();
  const dialog = await openDialog(page, row);
  await expect(dialog.getByText(COMMERCIAL)).toBeVisible();
  // First alternative: the customer's reason, chosen in one click.
  await dialog.getByRole('button', { name: 'Cancel due to “The customer is asking to cancel the order”' }).click();
  await expect(dialog.getByRole('radio', { name: REASON.customer_request })).toBeChecked();
  await expect(dialog.getByText('Such cancellations are already included in the allowed cancellation rate.')).toBeVisible();
  await screenshot(page, 'dialog-commercial.png');

  // Second: send it in parcels instead.
  await dialog.getByRole('button', { name: 'Split into parcels' }).click();
  await expect(dialog).toBeHidden();
  const split = page.getByRole('dialog', { name: 'Send in different parcels' });
  await expect(split).toBeVisible();
  const cell = (product, parcel) => split.getByRole('spinbutton', { name: `${product} in parcel ${parcel}` });
  const submit = split.getByRole('button', { name: 'Split shipment' });

  // Four of one product in a parcel is refused, and so is a plan that loses a unit.
  await cell('Screen protector', 1).fill('4');
  await cell('Screen protector', 2).fill('1');
  await expect(split.getByRole('alert')).toHaveText('Parcel 1 has 4 identical products; at most 3 are allowed.');
  await expect(submit).toBeDisabled();
  await cell('Screen protector', 1).fill('2');
  await cell('Screen protector', 2).fill('2');
  await expect(split.getByRole('alert')).toHaveText('The parcels hold 4 units of product 1004; the shipment has 5.');
  await expect(submit).toBeDisabled();
  await cell('Screen protector', 2).fill('3');
  await cell('Phone case', 1).fill('1');
  await cell('Phone case', 2).fill('0');
  await expect(split.getByRole('alert')).toHaveCount(0);
  await expect(submit).toBeEnabled();
  await screenshot(page, 'split-dialog.png');

  const answer = page.waitForResponse((r) => r.url().endsWith(`/shipments/${pn}/split`));
  await submit.click();
  expect((await answer).status()).toBe(200);
  await expect(split).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: 'The shipment is split into 2 shipments.' })).toBeVisible();
  const second = `${order}-2`;
  await expect(page.locator(`tr[data-posting-number="${second}"]`)).toBeVisible();
  await expect(row).not.toContainText(COMMERCIAL);
  await screenshot(page, 'split-done.png');

  const first = await api.shipment(pn);
  expect(first.products.map((p) => [p.sku, p.quantity])).toEqual(
    expect.arrayContaining([['1004', 2], ['1001', 1]]),
  );
  expect((await api.shipment(second)).products.map((p) => [p.sku, p.quantity])).toEqual([['1004', 3]]);
  expect(first.eligibility.warnings).toEqual([]);
  expect(errors).toEqual([]);
});
