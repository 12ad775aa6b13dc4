// The history of cancellations (requested, rejected, cancelled by the seller or by the carrier) and
// its CSV export. Read-only: it runs against the shared server.
import fs from 'node:fs';
import { test, expect } from '@playwright/test';
import { screenshot, sellerApi, showcase, watchErrors } from '../flows.js';

const HEADER = 'posting_number,order_number,kind,reason,comment,initiator,provider,provider_message,requested_at,decided_at,items';

/** The CSV the page hands to the browser, as lines. */
async function exportCsv(page) {
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export to CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('cancellations.csv');
  const text = fs.readFileSync(await file.path(), 'utf8');
  // The server's file starts with a byte-order mark, so that Excel reads UTF-8.
  expect(text.startsWith('\ufeff')).toBeTruthy();
  return text.slice(1).split('\r\n').filter(Boolean);
}

test('the history shows every kind of cancellation with its details, filters by kind, and exports to CSV', async ({ page, request, baseURL }) => {
  const errors = watchErrors(page);
  const api = await sellerApi(request, baseURL);
  const rejected = await api.shipment(showcase(22));
  expect(rejected.cancellation.state).toBe('rejected');

  await page.goto('/');
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Cancellation history' }).click();
  await expect(page).toHaveURL(/\/history$/);
  const table = page.getByRole('table', { name: 'Cancellations' });
  await expect(table).toBeVisible();
  const row = (pn) => table.locator(`tr[data-posting-number="${pn}"]`);

  await expect(row(showcase(22))).toContainText('Rejected by the provider');
  await expect(row(showcase(22))).toContainText(rejected.cancellation.provider_message);
  await expect(row(showcase(23))).toContainText('Cancelled by the delivery service');
  await expect(row(showcase(20))).toContainText('Requested from the provider');
  await expect(row(showcase(17))).toContainText('Cancelled by you');
  for (const header of ['Shipment', 'State', 'Reason', 'Comment', 'Who cancelled', 'Requested', 'Decided', "Provider's message"]) {
    await expect(table.getByRole('columnheader', { name: header, exact: true })).toBeVisible();
  }
  await screenshot(page, 'history.png');

  const lines = await exportCsv(page);
  expect(lines[0]).toBe(HEADER);
  const history = await api.history('limit=1');
  expect(lines.length - 1).toBe(history.total);
  await expect(page.locator('.history-total')).toHaveText(`${history.total} cancellations`);
  const line = lines.find((l) => l.startsWith(`${showcase(22)},`));
  expect(line).toBeDefined();
  const fields = line.split(',');
  expect(fields.slice(0, 3)).toEqual([showcase(22), '87654321-0022', 'rejected']);
  expect(fields[6]).toBe('4PX');
  expect(line).toContain(rejected.cancellation.provider_message);

  // One kind: the list and the export follow it, and the URL keeps it.
  await page.getByRole('navigation', { name: 'Kind of cancellation' }).getByRole('link', { name: 'Rejected by the provider' }).click();
  await expect(page).toHaveURL(/\?kind=rejected$/);
  await expect(row(showcase(23))).toBeHidden();
  await expect(row(showcase(22))).toBeVisible();
  const kinds = await table.locator('tbody tr .cancellation-state').allTextContents();
  expect(new Set(kinds)).toEqual(new Set(['Rejected by the provider']));
  const rejectedLines = await exportCsv(page);
  expect(rejectedLines.length - 1).toBe(kinds.length);
  for (const l of rejectedLines.slice(1)) expect(l.split(',')[2]).toBe('rejected');
  expect(errors).toEqual([]);
});
