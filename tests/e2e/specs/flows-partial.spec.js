// Cancelling some products of a shipment (issue 14): the dialog's steppers, what remains, the
// effects and the rate; the row afterwards; choosing every unit turning into the whole
// cancellation; a shipment changed meanwhile (412); the server going away mid-flow; the keyboard
// alone; inside the demo portal; and axe on the open dialog.
import { expect } from '@playwright/test';
import { LOCALES, axeSource, expectNoViolations } from '../axe.js';
import {
  CANCEL, REASON, findShipment, screenshot, sellerApi, shipmentRow, testWithOwnServer, watchErrors,
} from '../flows.js';

// Provider requests wait an hour, so that nothing changes on its own while a test looks.
const test = testWithOwnServer({ name: 'flows-partial', portal: true, args: ['--provider-delay', '3600'] });

// Demo shipments awaiting packaging with several units (crates/server/fixtures/demo.json).
const THREE_PRODUCTS = '30000511-0073-1'; // Wireless earbuds × 1, Power bank 10000 mAh × 1, LED desk lamp × 2 (Yanwen)
const EARBUDS_AND_HDMI = '30001001-0143-1'; // Wireless earbuds × 2, HDMI adapter × 1 (Yanwen)
const TWO_PHONE_CASES = '30001946-0278-1'; // Phone case × 2 (YunExpress)
const TWO_SPEAKERS = '30001162-0166-1'; // Bluetooth speaker × 2 (China Post)
const COMMERCIAL = '87654321-0024-1'; // Screen protector × 5, Phone case × 1 (YunExpress)
const HDMI_AND_PROTECTORS = '30000602-0086-1'; // HDMI adapter × 1, Screen protector × 5 (China Post)
const SIX_PHONE_CASES = '30001141-0163-1'; // Phone case × 6 (China Post); only looked at

const PARTIAL = { name: 'Cancel some products', exact: true };
const COMMERCIAL_WARNING = 'More than 3 identical products: customs may consider this order a commercial shipment and cancel it.';

/** Opens "Cancel some products" of a row. */
async function openPartial(page, row) {
  await row.getByRole('button', PARTIAL).click();
  const dialog = page.getByRole('dialog', { name: 'Cancel some products' });
  await expect(dialog).toBeVisible();
  return dialog;
}

const stepper = (dialog, product) => dialog.getByRole('spinbutton', { name: `${product}: units to cancel` });
const more = (dialog, product) => dialog.getByRole('button', { name: `One unit more of ${product}` });
const remains = (dialog) => dialog.locator('ul.remains li');

/** Every partial cancellation the page sends, with its Idempotency-Key and If-Match. */
function watchPartialRequests(page) {
  const sent = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname.endsWith('/cancel-items')) {
      sent.push({ key: request.headers()['idempotency-key'], ifMatch: request.headers()['if-match'], body: request.postDataJSON() });
    }
  });
  return sent;
}

test('some products cancelled: steppers, what remains, the stock reset and the rate; the row shows what remains and what was cancelled', async ({ page, request, server }) => {
  const errors = watchErrors(page);
  const api = await sellerApi(request, server.url);
  const before = await api.rate();
  const { version } = await api.shipment(THREE_PRODUCTS);

  const row = await findShipment(page, THREE_PRODUCTS);
  const dialog = await openPartial(page, row);
  await expect(dialog).toContainText(THREE_PRODUCTS);
  // One stepper per product, from 0 to its units.
  await expect(stepper(dialog, 'Wireless earbuds')).toHaveValue('0');
  await expect(stepper(dialog, 'LED desk lamp')).toHaveAttribute('max', '2');
  await expect(dialog.getByText('Choose units to cancel to see what remains.')).toBeVisible();
  // The reasons of a partial cancellation only.
  const radios = dialog.getByRole('group', { name: 'Cancellation reason' }).getByRole('radio');
  await expect(radios).toHaveCount(3);
  await expect(dialog.getByRole('radio', { name: REASON.undeliverable_address })).toHaveCount(0);

  await more(dialog, 'LED desk lamp').click();
  await expect(stepper(dialog, 'LED desk lamp')).toHaveValue('1');
  await expect(page.locator('#status-announcer')).toHaveText('LED desk lamp: 1 unit of 2 to cancel');
  await expect(remains(dialog)).toHaveText(['Wireless earbuds × 1', 'Power bank 10000 mAh × 1', 'LED desk lamp × 1']);

  // More than the shipment holds is refused next to that stepper.
  await stepper(dialog, 'LED desk lamp').fill('3');
  const lamp = dialog.locator('.stepper[data-sku="1009"]');
  await expect(lamp.locator('.field-error')).toHaveText('The shipment holds only 2 units of this product.');
  await expect(stepper(dialog, 'LED desk lamp')).toHaveAttribute('aria-invalid', 'true');
  await stepper(dialog, 'LED desk lamp').fill('1');
  await expect(lamp.locator('.field-error')).toHaveCount(0);

  // Out of stock resets the stock of the cancelled product only; the rate grows by this shipment.
  await dialog.getByRole('radio', { name: REASON.out_of_stock }).check();
  await expect(dialog.getByText(/will automatically reset to zero: LED desk lamp \(SKU 1009\) at/)).toBeVisible();
  await expect(dialog.getByText(/Cancellation rate over 14 days: \d+\.\d%\s*→\s*\d+\.\d%/)).toBeVisible();
  await expect(dialog.getByText('This shipment already counts in your cancellation rate', { exact: false })).toHaveCount(0);
  await screenshot(page, 'partial-dialog.png');

  const answer = page.waitForResponse((r) => r.url().endsWith(`/shipments/${THREE_PRODUCTS}/cancel-items`));
  await dialog.getByRole('button', { name: 'Cancel products' }).click();
  expect((await answer).status()).toBe(200);
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: `1 unit cancelled from shipment ${THREE_PRODUCTS}.` })).toBeVisible();
  // The row: what remains, and what was cancelled; still awaiting packaging.
  await expect(row.locator('ul.products li')).toHaveText(['Wireless earbuds × 1', 'Power bank 10000 mAh × 1', 'LED desk lamp × 1']);
  await expect(row.locator('.cancelled-items')).toHaveText('Cancelled: LED desk lamp × 1');
  await expect(row.locator('.badge')).toHaveText('Awaiting packaging');
  // Out of stock: the follow-ups offer new stock for the cancelled product (the sweep hooks in here).
  await expect(page.getByRole('region', { name: 'What you can do next' })).toContainText('LED desk lamp');
  await screenshot(page, 'partial-done.png');

  const stored = await api.shipment(THREE_PRODUCTS);
  expect(stored.version).toBe(version + 1);
  expect(stored.products.map((p) => [p.sku, p.quantity])).toEqual([['1003', 1], ['1005', 1], ['1009', 1]]);
  expect(stored.cancelled_items).toEqual([expect.objectContaining({ sku: '1009', quantity: 1, reason: 'out_of_stock', initiator: 'seller' })]);
  expect((await api.rate()).seller_cancellations).toBe(before.seller_cancellations + 1);

  // A second partial cancellation of the same shipment: already counted, the rate does not grow.
  const again = await openPartial(page, row);
  await expect(again.getByText(/already counts in your cancellation rate/)).toBeVisible();
  await again.getByRole('button', { name: 'Keep shipment' }).click();
  await expect(again).toBeHidden();
  expect(errors).toEqual([]);
});

test('choosing every unit turns the dialog into the whole cancellation, keeping the reason and the description', async ({ page, request, server }) => {
  const errors = watchErrors(page);
  const api = await sellerApi(request, server.url);
  const row = await findShipment(page, TWO_PHONE_CASES);
  const dialog = await openPartial(page, row);
  await dialog.getByRole('radio', { name: REASON.other }).check();
  const words = 'Both cases cracked in the warehouse';
  await dialog.getByRole('textbox', { name: 'Describe the reason' }).fill(words);
  await more(dialog, 'Phone case').click();
  await more(dialog, 'Phone case').click();
  await expect(dialog.getByRole('status').filter({ hasText: 'You chose every unit, which cancels the whole shipment.' })).toBeVisible();
  await expect(remains(dialog)).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Cancel whole shipment…' }).click();

  const whole = page.getByRole('dialog', { name: 'Cancel shipment' });
  await expect(whole).toBeVisible();
  await expect(dialog).toBeHidden();
  await expect(whole.getByText('Every unit was chosen, so this cancels the whole shipment.', { exact: false })).toBeVisible();
  // The whole cancellation's own reasons and effects, with what was entered.
  await expect(whole.getByRole('radio', { name: REASON.undeliverable_address })).toBeVisible();
  await expect(whole.getByRole('radio', { name: REASON.other })).toBeChecked();
  await expect(whole.getByRole('textbox', { name: 'Describe the reason' })).toHaveValue(words);
  await expect(whole.getByText('The shipment is cancelled now.')).toBeVisible();
  await screenshot(page, 'partial-to-whole.png');

  const answer = page.waitForResponse((r) => r.url().endsWith(`/shipments/${TWO_PHONE_CASES}/cancel`));
  await whole.getByRole('button', CANCEL).click();
  expect((await answer).status()).toBe(200);
  await expect(whole).toBeHidden();
  await expect(row.locator('.badge')).toHaveText('Cancelled');
  const stored = await api.shipment(TWO_PHONE_CASES);
  expect(stored.cancellation).toMatchObject({ state: 'cancelled', reason: 'other', comment: words });
  expect(stored.cancelled_items).toEqual([]);
  expect(errors).toEqual([]);
});

test('the shipment changes while the dialog is open (412): the rules are checked again on its state now', async ({ page, request, server }) => {
  // The browser logs the 412 answer itself; the app handles it.
  const errors = watchErrors(page, [/status of 412/]);
  const api = await sellerApi(request, server.url);
  const sent = watchPartialRequests(page);
  const row = await findShipment(page, EARBUDS_AND_HDMI);
  const dialog = await openPartial(page, row);
  await more(dialog, 'Wireless earbuds').click();
  await more(dialog, 'Wireless earbuds').click();
  await dialog.getByRole('radio', { name: REASON.customer_request }).check();
  await expect(remains(dialog)).toHaveText(['HDMI adapter × 1']);

  // Meanwhile, from another tab, one pair of earbuds is cancelled.
  const { version } = await api.shipment(EARBUDS_AND_HDMI);
  const elsewhere = await request.post(`${server.url}/api/v1/shipments/${EARBUDS_AND_HDMI}/cancel-items`, {
    headers: { Authorization: `Bearer ${api.token}`, 'Idempotency-Key': 'another-tab-1', 'If-Match': `"${version}"` },
    data: { reason: 'customer_request', items: [{ sku: '1003', quantity: 1 }] },
  });
  expect(elsewhere.status(), await elsewhere.text()).toBe(200);

  const refused = page.waitForResponse((r) => r.url().endsWith(`/shipments/${EARBUDS_AND_HDMI}/cancel-items`));
  await dialog.getByRole('button', { name: 'Cancel products' }).click();
  expect((await refused).status()).toBe(412);
  const changed = dialog.getByRole('alert');
  await expect(changed).toContainText('This shipment changed since you opened it:');
  await expect(changed).toContainText('Its products changed.');
  // Judged again on the state now: one pair is left, and two are more than it holds.
  await expect(stepper(dialog, 'Wireless earbuds')).toHaveValue('2');
  await expect(stepper(dialog, 'Wireless earbuds')).toHaveAttribute('max', '1');
  await expect(dialog.locator('.stepper[data-sku="1003"] .field-error')).toHaveText('The shipment holds only 1 unit of this product.');
  await expect(dialog.getByRole('radio', { name: REASON.customer_request })).toBeChecked();
  await expect(row.locator('ul.products li')).toHaveText(['Wireless earbuds × 1', 'HDMI adapter × 1']);
  await screenshot(page, 'partial-changed.png');

  await stepper(dialog, 'Wireless earbuds').fill('1');
  await expect(remains(dialog)).toHaveText(['HDMI adapter × 1']);
  const accepted = page.waitForResponse((r) => r.url().endsWith(`/shipments/${EARBUDS_AND_HDMI}/cancel-items`));
  await dialog.getByRole('button', { name: 'Cancel products' }).click();
  expect((await accepted).status()).toBe(200);
  await expect(dialog).toBeHidden();
  await expect(row.locator('ul.products li')).toHaveText(['HDMI adapter × 1']);
  // The earbuds' line is gone: the row names them by SKU.
  await expect(row.locator('.cancelled-items')).toHaveText('Cancelled: SKU 1003 × 2');

  // The second confirmation is a new intent for the version the seller now saw.
  expect(sent).toHaveLength(2);
  expect(sent[1].key).not.toBe(sent[0].key);
  expect(sent[0].ifMatch).toBe(`"${version}"`);
  expect(sent[1].ifMatch).toBe(`"${version + 1}"`);
  expect(sent[1].body).toEqual({ reason: 'customer_request', comment: null, items: [{ sku: '1003', quantity: 1 }] });
  expect(errors).toEqual([]);
});

test('the server stops mid-flow: the dialog keeps the units, reason and warnings, and Retry cancels once with the same key', async ({ page, request, server }) => {
  const errors = watchErrors(page, [/ERR_CONNECTION_REFUSED|Failed to fetch|net::ERR/]);
  const api = await sellerApi(request, server.url);
  const sent = watchPartialRequests(page);
  const { version } = await api.shipment(COMMERCIAL);
  const row = await findShipment(page, COMMERCIAL);
  await expect(row.getByText(COMMERCIAL_WARNING)).toBeVisible();
  const dialog = await openPartial(page, row);
  // Five identical products: two fewer clear the commercial warning on what remains.
  await more(dialog, 'Screen protector').click();
  await expect(dialog.getByText(`Still applies to what remains: ${COMMERCIAL_WARNING}`)).toBeVisible();
  await more(dialog, 'Screen protector').click();
  await expect(dialog.getByText(`No longer applies to what remains: ${COMMERCIAL_WARNING}`)).toBeVisible();
  await dialog.getByRole('radio', { name: REASON.customer_request }).check();

  await server.stop();
  try {
    await dialog.getByRole('button', { name: 'Cancel products' }).click();
    await expect(dialog.getByRole('alert')).toHaveText(
      'The server could not be reached. Check your connection and try again.',
      { timeout: 15_000 },
    );
    await expect(dialog.getByRole('button', { name: 'Retry' })).toBeVisible();
    await expect(stepper(dialog, 'Screen protector')).toHaveValue('2');
    await expect(dialog.getByRole('radio', { name: REASON.customer_request })).toBeChecked();
    await expect(dialog.getByText(`No longer applies to what remains: ${COMMERCIAL_WARNING}`)).toBeVisible();
    expect(sent.length).toBeGreaterThanOrEqual(2);
  } finally {
    await server.start();
  }

  const answer = page.waitForResponse((r) => r.url().endsWith(`/shipments/${COMMERCIAL}/cancel-items`));
  await dialog.getByRole('button', { name: 'Retry' }).click();
  expect((await answer).status()).toBe(200);
  await expect(dialog).toBeHidden();
  await expect(row.locator('ul.products li')).toHaveText(['Screen protector × 3', 'Phone case × 1']);
  await expect(row).not.toContainText(COMMERCIAL_WARNING);

  expect(new Set(sent.map((s) => s.key)).size, JSON.stringify(sent)).toBe(1);
  expect(new Set(sent.map((s) => s.ifMatch))).toEqual(new Set([`"${version}"`]));
  const stored = await api.shipment(COMMERCIAL);
  expect(stored.version).toBe(version + 1);
  expect(stored.cancelled_items).toHaveLength(1);
  expect(errors).toEqual([]);
});

test('with the keyboard alone: steppers by arrow keys, a reason, confirm, and the focus back in the row', async ({ page, request, server }) => {
  const errors = watchErrors(page);
  const api = await sellerApi(request, server.url);
  const row = await findShipment(page, HDMI_AND_PROTECTORS);
  const open = row.getByRole('button', PARTIAL);
  for (let presses = 0; presses < 60 && !(await open.evaluate((e) => e === document.activeElement)); presses += 1) {
    await page.keyboard.press('Tab');
  }
  await expect(open).toBeFocused();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Cancel some products' });
  await expect(dialog).toBeFocused();

  // The first Tab stop after the close button is the first stepper; − and + are for the pointer.
  const hdmi = stepper(dialog, 'HDMI adapter');
  for (let presses = 0; presses < 5 && !(await hdmi.evaluate((e) => e === document.activeElement)); presses += 1) {
    await page.keyboard.press('Tab');
  }
  await expect(hdmi).toBeFocused();
  await page.keyboard.press('Tab');
  const protectors = stepper(dialog, 'Screen protector');
  await expect(protectors).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await expect(protectors).toHaveValue('2');
  await expect(remains(dialog)).toHaveText(['HDMI adapter × 1', 'Screen protector × 3']);

  // Confirming without a reason lands on the reasons; the arrow keys choose one.
  const confirm = dialog.getByRole('button', { name: 'Cancel products' });
  for (let presses = 0; presses < 10 && !(await confirm.evaluate((e) => e === document.activeElement)); presses += 1) {
    await page.keyboard.press('Tab');
  }
  await expect(confirm).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog.getByText('Choose a cancellation reason.')).toBeVisible();
  const first = dialog.locator('input[name="partial-reason"]').first();
  await expect(first).toBeFocused();
  const customer = dialog.locator('input[name="partial-reason"][value="customer_request"]');
  await page.keyboard.press('ArrowDown');
  await expect(customer).toBeChecked();

  await confirm.focus();
  for (let presses = 0; presses < 10 && !(await confirm.evaluate((e) => e === document.activeElement)); presses += 1) {
    await page.keyboard.press('Tab');
  }
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(page.locator('#status-announcer')).toHaveText(`2 units cancelled from shipment ${HDMI_AND_PROTECTORS}.`);
  // The focus is back in the shipment's row.
  await expect.poll(() => row.evaluate((tr) => tr.contains(document.activeElement))).toBe(true);
  const stored = await api.shipment(HDMI_AND_PROTECTORS);
  expect(stored.products.map((p) => [p.sku, p.quantity])).toEqual([['1012', 1], ['1004', 3]]);
  expect(errors).toEqual([]);
});

test('inside the demo portal: the portal hears of the changed shipment and shows the toast', async ({ page, server }) => {
  const errors = watchErrors(page);
  await page.goto(server.portalUrl);
  const app = page.frameLocator('#app');
  await app.getByRole('searchbox', { name: 'Search' }).fill(TWO_SPEAKERS);
  const row = shipmentRow(app, TWO_SPEAKERS);
  await expect(row).toBeVisible();
  await row.getByRole('button', PARTIAL).click();
  const dialog = app.getByRole('dialog', { name: 'Cancel some products' });
  await expect(dialog).toBeVisible();
  await more(dialog, 'Bluetooth speaker').click();
  await dialog.getByRole('radio', { name: REASON.customer_request }).check();
  await expect(dialog.getByText('Such cancellations are already included in the allowed cancellation rate.')).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel products' }).click();
  await expect(dialog).toBeHidden();

  const said = `1 unit cancelled from shipment ${TWO_SPEAKERS}.`;
  await expect(page.locator('#toasts')).toContainText(said);
  await expect(row.locator('ul.products li')).toHaveText(['Bluetooth speaker × 1']);
  await expect(row.locator('.cancelled-items')).toHaveText('Cancelled: Bluetooth speaker × 1');
  const log = (await page.locator('#log li').allTextContents()).map((line) => JSON.parse(line.slice(2)));
  expect(log.filter((m) => m.type === 'toast').map((m) => m.payload)).toContainEqual({ kind: 'success', text: said });
  expect(log.filter((m) => m.type === 'shipments_changed').flatMap((m) => m.payload.posting_numbers)).toContain(TWO_SPEAKERS);
  await screenshot(page, 'partial-portal.png');
  expect(errors).toEqual([]);
});

test.describe('axe', () => {
  test.beforeEach(async ({ page }) => {
    await page.addInitScript({ content: axeSource });
  });
  for (const lang of LOCALES) {
    test(`the open partial dialog in ${lang}, with its errors`, async ({ page }) => {
      await page.goto(`/?lang=${lang}&q=${SIX_PHONE_CASES}`);
      const row = page.locator(`tr[data-posting-number="${SIX_PHONE_CASES}"]`);
      await row.locator('button.partial').click();
      const dialog = page.locator('[role="dialog"]');
      const field = dialog.locator('.stepper input');
      await expect(field).toHaveCount(1);
      await expectNoViolations(page, 'the partial dialog as it opens', { include: '[role="dialog"]' });
      await field.fill('9');
      await dialog.locator('input[name="partial-reason"][value="other"]').check();
      await dialog.locator('.dialog-footer button.danger').click();
      await expect(dialog.locator('.field-error')).toHaveCount(2);
      await expectNoViolations(page, 'the partial dialog with errors', { include: '[role="dialog"]' });
      // What remains, with the commercial warning that stays on it.
      await field.fill('2');
      await expect(dialog.locator('ul.remains li')).toHaveCount(1);
      await expect(dialog.locator('.remains .notice.warning')).toBeVisible();
      await expectNoViolations(page, 'the partial dialog with what remains', { include: '[role="dialog"]' });
    });
  }
});
