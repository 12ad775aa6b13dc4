import path from 'node:path';
import { test, expect } from '@playwright/test';
import { artifactsDir } from '../artifacts.js';

// DESIGN.md's example shipment, which the demo seed gives to the demo seller s-1001.
const EXAMPLE_POSTING_NUMBER = '87654321-0001-1';
const CANCEL = { name: 'Cancel shipment', exact: true };

/** Errors the page reports (uncaught exceptions and console errors), collected for the whole test. */
function watchErrors(page) {
  const errors = [];
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return errors;
}

/** The rows of the shipments table: by contract, each shipment row holds one "Cancel shipment" button. */
function shipmentRows(page) {
  const table = page.getByRole('table', { name: 'Shipments' });
  return { table, rows: table.getByRole('row').filter({ has: page.getByRole('button', CANCEL) }) };
}

test("the served app shows the demo seller's shipments", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');

  const { table, rows } = shipmentRows(page);
  await expect(table).toBeVisible();
  await expect.poll(() => rows.count()).toBeGreaterThan(10);
  await page.screenshot({ path: path.join(artifactsDir, 'shipments.png'), fullPage: true });

  // The list is paged and sorted by ship-by date, so the example is found the way a seller would: by searching.
  await page.getByRole('searchbox', { name: 'Search' }).fill(EXAMPLE_POSTING_NUMBER);
  await expect(rows.filter({ hasText: EXAMPLE_POSTING_NUMBER })).toHaveCount(1);
  await page.screenshot({ path: path.join(artifactsDir, 'example-shipment.png'), fullPage: true });

  expect(errors).toEqual([]);
});

test('every shipment that cannot be cancelled says why, beside its disabled button', async ({ page }) => {
  await page.goto('/');

  const { rows } = shipmentRows(page);
  await expect.poll(() => rows.count()).toBeGreaterThan(10);
  const blocked = rows.filter({ has: page.getByRole('button', { ...CANCEL, disabled: true }) });
  // The demo seed holds delivered and cancelled shipments, which the rules never let a seller cancel.
  expect(await blocked.count()).toBeGreaterThan(0);

  for (const row of await blocked.all()) {
    const button = row.getByRole('button', CANCEL);
    await expect(button).toBeDisabled();
    await expect(button).toHaveAccessibleDescription(/\S/);
    const describedBy = (await button.getAttribute('aria-describedby')) ?? '';
    const ids = describedBy.split(/\s+/).filter(Boolean);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) {
      await expect(row.locator(`[id="${id}"]`)).toBeVisible();
    }
  }
});
