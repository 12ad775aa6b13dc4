// The whole cancellation with the keyboard alone, the dialog's modality, and what a screen reader
// hears (issue 6). Specs that cancel start a server of their own.
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { artifactsDir } from '../artifacts.js';
import { startServer } from '../servers.js';

const CANCEL = { name: 'Cancel shipment', exact: true };
// Showcase shipments of the demo seed (crates/server/API.md, "Demo data").
const AWAITING_PACKAGING_PARTNER = '87654321-0002-1';
const AWAITING_SHIPMENT_PARTNER = '87654321-0005-1';
const IN_TRANSIT_PARTNER = '87654321-0011-1';
const COMMERCIAL_IN_TRANSIT = '87654321-0001-1';

const row = (page, postingNumber) => page.locator(`tr[data-posting-number="${postingNumber}"]`);
const announcer = (page) => page.locator('#status-announcer');

/** The demo seller's API, as the app sees it, for checks the UI can't make. */
async function sellerApi(request, baseURL) {
  const session = await request.post(`${baseURL}/api/v1/dev/session`, { data: { seller_id: 's-1001' } });
  expect(session.ok()).toBe(true);
  const { token } = await session.json();
  const headers = { authorization: `Bearer ${token}` };
  return {
    async shipment(postingNumber) {
      const answer = await request.get(`${baseURL}/api/v1/shipments/${postingNumber}`, { headers });
      expect(answer.ok()).toBe(true);
      return answer.json();
    },
    async decide(postingNumber, decision, message) {
      const answer = await request.post(`${baseURL}/api/v1/dev/shipments/${postingNumber}/provider-decision`, {
        headers,
        data: message ? { decision, message } : { decision },
      });
      expect(answer.ok(), await answer.text()).toBe(true);
    },
  };
}

/** Presses Tab (or Shift+Tab) until `target` has the focus; fails after `limit` presses. */
async function tabTo(page, target, { limit = 60, shift = false } = {}) {
  for (let presses = 0; presses < limit; presses += 1) {
    if (await target.evaluate((element) => element === document.activeElement)) return presses;
    await page.keyboard.press(shift ? 'Shift+Tab' : 'Tab');
  }
  await expect(target).toBeFocused();
  return limit;
}

/** Describes the focused element, for messages and for checks that it stays in a place. */
function focused(page) {
  return page.evaluate(() => {
    const element = document.activeElement;
    return {
      inDialog: Boolean(element?.closest('[role="dialog"]')),
      isDialog: element?.getAttribute('role') === 'dialog',
      text: `${element?.tagName} ${element?.getAttribute('aria-label') ?? element?.textContent?.trim().slice(0, 40)}`,
    };
  });
}

async function openList(page, url, postingNumber) {
  await page.goto(`${url}/?q=${postingNumber}`);
  await expect(row(page, postingNumber).getByRole('button', CANCEL)).toBeEnabled();
}

test.describe('with the keyboard alone', () => {
  let server;
  test.beforeEach(async () => {
    // Provider requests wait until a test decides them.
    server = await startServer({ name: 'keyboard', args: ['--provider-delay', '3600'] });
  });
  test.afterEach(async () => {
    await server.stop();
  });

  test('a seller cancels with a described reason, and the focus comes back to the row', async ({ page, request }) => {
    await openList(page, server.url, AWAITING_PACKAGING_PARTNER);
    const button = row(page, AWAITING_PACKAGING_PARTNER).getByRole('button', CANCEL);
    await tabTo(page, button);

    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Cancel shipment' });
    await expect(dialog).toBeVisible();
    await expect(dialog).toBeFocused();

    // Tab reaches the reason group; the arrow keys move through it and choose.
    const firstReason = dialog.getByRole('radio').first();
    await tabTo(page, firstReason, { limit: 10 });
    const other = dialog.locator('input[name="reason"][value="other"]');
    for (let presses = 0; presses < 12 && !(await other.isChecked()); presses += 1) {
      await page.keyboard.press('ArrowDown');
    }
    await expect(other).toBeChecked();
    await expect(other).toBeFocused();

    await page.keyboard.press('Tab');
    const description = dialog.getByRole('textbox', { name: 'Describe the reason' });
    await expect(description).toBeFocused();
    await page.keyboard.type('Packed the wrong colour');
    await expect(dialog.getByText('23 / 500')).toBeVisible();
    await page.screenshot({ path: path.join(artifactsDir, 'keyboard-dialog.png') });

    const confirm = dialog.getByRole('button', CANCEL);
    await tabTo(page, confirm, { limit: 5 });
    await page.keyboard.press('Enter');
    await expect(dialog).toBeHidden();

    // The button can't be used any more (the shipment is cancelled), so the focus lands on the row's
    // new cancellation state, which a screen reader then reads.
    const state = row(page, AWAITING_PACKAGING_PARTNER).locator('.cancellation-state');
    await expect(state).toBeFocused();
    await expect(state).toHaveText('Cancelled by you');
    await expect(row(page, AWAITING_PACKAGING_PARTNER).getByRole('button', CANCEL)).toBeDisabled();
    await expect(announcer(page)).toHaveText(`Shipment ${AWAITING_PACKAGING_PARTNER} is cancelled.`);
    await page.screenshot({ path: path.join(artifactsDir, 'keyboard-focus-back.png') });

    const api = await sellerApi(request, server.url);
    const now = await api.shipment(AWAITING_PACKAGING_PARTNER);
    expect(now.status).toBe('cancelled');
    expect(now.cancellation).toMatchObject({ reason: 'other', comment: 'Packed the wrong colour', state: 'cancelled' });
  });

  test('Escape keeps the shipment and gives the focus back to its button', async ({ page, request }) => {
    const api = await sellerApi(request, server.url);
    const before = await api.shipment(AWAITING_SHIPMENT_PARTNER);

    await openList(page, server.url, AWAITING_SHIPMENT_PARTNER);
    const button = row(page, AWAITING_SHIPMENT_PARTNER).getByRole('button', CANCEL);
    await tabTo(page, button);
    await page.keyboard.press('Space');
    const dialog = page.getByRole('dialog', { name: 'Cancel shipment' });
    await expect(dialog).toBeVisible();
    await tabTo(page, dialog.getByRole('radio').first(), { limit: 10 });
    await page.keyboard.press('Space');
    await expect(dialog.getByRole('radio').first()).toBeChecked();

    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(button).toBeFocused();

    const after = await api.shipment(AWAITING_SHIPMENT_PARTNER);
    expect(after.version).toBe(before.version);
    expect(after.status).toBe(before.status);
    expect(after.cancellation ?? null).toBeNull();
  });

  test('the request sent to a provider and its later answers are announced', async ({ page, request }) => {
    const api = await sellerApi(request, server.url);
    const cases = [
      { postingNumber: IN_TRANSIT_PARTNER, decision: 'approve', heard: /^Shipment 87654321-0011-1: Cancelled by .+\.$/ },
      {
        postingNumber: COMMERCIAL_IN_TRANSIT,
        decision: 'reject',
        message: 'The parcel has left the sorting centre',
        heard: /^Shipment 87654321-0001-1: Rejected by .+: “The parcel has left the sorting centre”$/,
      },
    ];
    for (const { postingNumber, decision, message, heard } of cases) {
      await page.goto(`${server.url}/?q=${postingNumber}`);
      await row(page, postingNumber).getByRole('button', CANCEL).click();
      const dialog = page.getByRole('dialog', { name: 'Cancel shipment' });
      await dialog.getByRole('radio').first().check();
      await dialog.getByRole('button', CANCEL).click();
      await expect(dialog).toBeHidden();
      // The request is sent: said once, politely.
      await expect(announcer(page)).toHaveText(new RegExp(`^Cancellation of shipment ${postingNumber} requested from .+\\.`));
      await expect(row(page, postingNumber).locator('.cancellation-state')).toHaveText(/^Cancellation requested from /);

      // The server pushes the provider's answer on the live stream; it is announced when the row
      // changes.
      await expect(page.locator('html')).toHaveAttribute('data-live', 'open');
      await api.decide(postingNumber, decision, message);
      await expect(announcer(page)).toHaveText(heard);
      await expect(row(page, postingNumber).locator('.cancellation-state'))
        .toHaveText(decision === 'approve' ? /^Cancelled by / : /^Rejected by /);
    }
    // One polite region, and it is not assertive.
    await expect(page.locator('[aria-live="polite"]#status-announcer')).toHaveCount(1);
    await expect(page.locator('[aria-live="assertive"]')).toHaveCount(0);
  });
});

test.describe('the cancellation dialog', () => {
  test('is modal, labelled by its title and described by its outcome, and keeps the focus', async ({ page }) => {
    await page.goto(`/?q=${AWAITING_PACKAGING_PARTNER}`);
    const button = row(page, AWAITING_PACKAGING_PARTNER).getByRole('button', CANCEL);
    await button.focus();
    await page.keyboard.press('Enter');
    const dialog = page.locator('[role="dialog"]');
    await expect(dialog).toHaveAttribute('aria-modal', 'true');
    await expect(dialog).toHaveAccessibleName('Cancel shipment');
    const title = page.locator(`[id="${await dialog.getAttribute('aria-labelledby')}"]`);
    await expect(title).toHaveText('Cancel shipment');
    await expect(title).toBeVisible();
    await expect(dialog).toHaveAccessibleDescription('The shipment is cancelled now.');
    const outcome = page.locator(`[id="${await dialog.getAttribute('aria-describedby')}"]`);
    await expect(outcome).toBeVisible();
    await expect(dialog).toHaveAccessibleDescription((await outcome.textContent()).trim());
    // The page behind is inert, so neither the mouse nor assistive technology reaches it.
    await expect(page.locator('.page-body')).toHaveAttribute('inert', /.*/);

    // Tab runs through the dialog's controls and wraps from the last to the first.
    const seen = [];
    for (let presses = 0; presses < 15; presses += 1) {
      await page.keyboard.press('Tab');
      const now = await focused(page);
      expect(now.inDialog, `Tab ${presses + 1} left the dialog for ${now.text}`).toBe(true);
      seen.push(now.text);
    }
    const close = dialog.getByRole('button', { name: 'Close' });
    const confirm = dialog.getByRole('button', CANCEL);
    // Nothing is chosen yet, so the confirm button is the last control.
    await confirm.focus();
    await page.keyboard.press('Tab');
    await expect(close).toBeFocused();
    await page.keyboard.press('Shift+Tab');
    await expect(confirm).toBeFocused();
    for (let presses = 0; presses < 15; presses += 1) {
      await page.keyboard.press('Shift+Tab');
      const now = await focused(page);
      expect(now.inDialog, `Shift+Tab ${presses + 1} left the dialog for ${now.text}`).toBe(true);
    }
    expect(new Set(seen).size).toBeGreaterThan(3);

    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(button).toBeFocused();
  });
});

test('the split dialog, opened from the cancellation dialog, gives the focus back to the row', async ({ page }) => {
  const splittable = '87654321-0024-1';
  await page.goto(`/?q=${splittable}`);
  const button = row(page, splittable).getByRole('button', CANCEL);
  await tabTo(page, button);
  await page.keyboard.press('Enter');
  const split = page.getByRole('button', { name: 'Split into parcels' });
  await tabTo(page, split, { limit: 10 });
  await page.keyboard.press('Enter');
  const dialog = page.locator('[role="dialog"]');
  await expect(dialog).toHaveCount(1);
  await expect(dialog.locator('table.split-grid')).toBeVisible();
  await expect(dialog).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(button).toBeFocused();
});
