// A shipment in transit with a partner provider: the cancellation is a request to the provider,
// whose answer (approved, or rejected with its message) shows in the row live, without a reload.
import { expect } from '@playwright/test';
import {
  CANCEL, REASON, testWithOwnServer, findShipment, offeredReasons, openDialog, screenshot, sellerApi, showcase, watchErrors,
} from '../flows.js';

// Requests wait an hour on their own; each test makes the provider answer when it wants, through the
// demo endpoint POST /api/v1/dev/shipments/{pn}/provider-decision.
const test = testWithOwnServer({ name: 'flows-provider', args: ['--provider-delay', '3600'] });

/** Sends a cancellation request for an in-transit shipment and checks the waiting state. */
async function requestCancellation(page, pn, provider) {
  const row = await findShipment(page, pn);
  const dialog = await openDialog(page, row);
  expect(await offeredReasons(dialog)).toEqual([REASON.customer_request, REASON.lost_by_carrier, REASON.other]);
  await expect(dialog.getByText(
    `A cancellation request is sent to ${provider}. If the shipment can't be canceled, the order won't be canceled.`,
  )).toBeVisible();
  await dialog.getByRole('radio', { name: REASON.lost_by_carrier }).check();
  const answer = page.waitForResponse((r) => r.url().endsWith(`/shipments/${pn}/cancel`));
  await dialog.getByRole('button', CANCEL).click();
  expect((await answer).status()).toBe(202);
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('status').filter({
    hasText: `Cancellation of shipment ${pn} requested from ${provider}. This row changes when ${provider} answers.`,
  })).toBeVisible();
  await expect(row.locator('.cancellation-state')).toHaveText(`Cancellation requested from ${provider}`);
  await expect(row.locator('.badge')).toHaveText('In transit');
  const button = row.getByRole('button', CANCEL);
  await expect(button).toBeDisabled();
  await expect(button).toHaveAccessibleDescription(/waiting for an answer/);
  // A mark that a reload would wipe out.
  await page.evaluate(() => { window.notReloaded = true; });
  // The answer is pushed: the live-update stream must be open before the provider answers.
  await expect(page.locator('html')).toHaveAttribute('data-live', 'open');
  return row;
}

test('provider approves: the request shows, then the row turns Cancelled live', async ({ page, request, server }) => {
  const errors = watchErrors(page);
  const api = await sellerApi(request, server.url);
  const pn = showcase(11); // in transit, partner delivery (YunExpress)
  const row = await requestCancellation(page, pn, 'YunExpress');
  await screenshot(page, 'request-pending.png');

  const decided = await api.providerDecides(pn, 'approve');
  expect(decided.status).toBe('cancelled');
  // Pushed by the server's live-update stream (live.spec.js holds it to a second).
  await expect(row.locator('.badge')).toHaveText('Cancelled');
  await expect(row.locator('.cancellation-state')).toHaveText('Cancelled by you');
  await expect(row).toContainText(`Reason: ${REASON.lost_by_carrier}`);
  await expect(row.getByRole('button', CANCEL)).toBeDisabled();
  expect(await page.evaluate(() => window.notReloaded)).toBe(true);
  await screenshot(page, 'provider-approved.png');
  expect(errors).toEqual([]);
});

test("provider rejects: the row shows the provider's message live, and the seller may ask again", async ({ page, request, server }) => {
  const errors = watchErrors(page);
  const api = await sellerApi(request, server.url);
  const pn = '30000406-0058-1'; // a generated shipment in transit with Cainiao, no decision in the fixture
  const row = await requestCancellation(page, pn, 'Cainiao');

  const message = 'The parcel has already left the sorting centre';
  const decided = await api.providerDecides(pn, 'reject', message);
  expect(decided.cancellation.state).toBe('rejected');
  await expect(row.locator('.cancellation-state')).toHaveText('Rejected by Cainiao');
  await expect(row.locator('.provider-message')).toHaveText(message);
  await expect(row.locator('.badge')).toHaveText('In transit');
  await expect(row.getByRole('button', CANCEL)).toBeEnabled();
  expect(await page.evaluate(() => window.notReloaded)).toBe(true);
  await screenshot(page, 'provider-rejected.png');

  // Asking again is a new request.
  const dialog = await openDialog(page, row);
  await dialog.getByRole('radio', { name: REASON.customer_request }).check();
  const again = page.waitForResponse((r) => r.url().endsWith(`/shipments/${pn}/cancel`));
  await dialog.getByRole('button', CANCEL).click();
  expect((await again).status()).toBe(202);
  await expect(row.locator('.cancellation-state')).toHaveText('Cancellation requested from Cainiao');
  expect((await api.shipment(pn)).cancellation).toMatchObject({ state: 'requested', reason: 'customer_request' });
  expect(errors).toEqual([]);
});
