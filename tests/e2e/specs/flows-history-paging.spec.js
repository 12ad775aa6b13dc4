// A long cancellation history: the page asks the server for one page at a time as the seller
// scrolls, never holds more than a few hundred rows, keeps its filters in the URL, and exports what
// they match from the server. Its own server, seeded with the demo data plus 400 cancellations.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from '@playwright/test';
import { REASON, sellerApi, testWithOwnServer, watchErrors } from '../flows.js';

const EXTRA = 400;
/** The oldest entry of the history: the first of the added cancellations. */
const OLDEST = '77000000-0000-1';
/** The most rows the page holds at once (src/history/pager.rs, MAX_ROWS). */
const MAX_ROWS = 300;

/** The demo fixture with EXTRA cancelled shipments of the demo seller, from 1 January on. */
function longHistoryFixture() {
  const demo = JSON.parse(fs.readFileSync(process.env.E2E_DEMO_FIXTURE, 'utf8'));
  const seller = demo.sellers.find((s) => s.id === 's-1001');
  const template = seller.shipments.find((s) => s.status === 'awaiting_packaging' && s.delivery.method === 'seller');
  const start = Date.parse('2026-01-01T08:00:00Z');
  for (let i = 0; i < EXTRA; i += 1) {
    const n = String(i).padStart(4, '0');
    const at = new Date(start + i * 3_600_000).toISOString();
    const other = i % 4 === 0;
    seller.shipments.push({
      ...template,
      posting_number: `77000000-${n}-1`,
      order_number: `77000000-${n}`,
      status: 'cancelled',
      cancellation: {
        state: 'cancelled',
        reason: other ? 'other' : 'customer_request',
        comment: other ? `Packed twice, batch ${i}` : null,
        initiator: 'seller',
        requested_at: at,
        decided_at: at,
        provider_message: null,
      },
    });
  }
  const file = path.join(process.env.E2E_SCRATCH_DIR, `long-history-${process.pid}.json`);
  fs.writeFileSync(file, JSON.stringify(demo));
  return file;
}

const test = testWithOwnServer({ name: 'history-paging', seed: longHistoryFixture() });

test('a long history pages as the seller scrolls, filters through the URL and exports from the server', async ({ page, request, baseURL }) => {
  const errors = watchErrors(page);
  const api = await sellerApi(request, baseURL);
  const everything = await api.history('limit=1');
  expect(everything.total).toBeGreaterThan(EXTRA);

  const apiRequests = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.startsWith('/api/')) apiRequests.push(new URL(r.url()).pathname);
  });
  await page.goto('/history');
  const table = page.getByRole('table', { name: 'Cancellations' });
  const rows = table.locator('tbody tr');
  await expect(rows).toHaveCount(50);
  await expect(page.locator('.history-total')).toHaveText(`${everything.total} cancellations`);
  expect(apiRequests.filter((p) => p === '/api/v1/history')).toHaveLength(1);
  expect(apiRequests.length, apiRequests.join(' ')).toBeLessThanOrEqual(6);

  // Scroll to the end: page after page arrives (while the end of the table is in view, the next
  // page is asked for by itself), and the rows held stay under the cap.
  const sentinel = page.locator('.history-page .sentinel');
  const lastRow = () => rows.last().getAttribute('data-posting-number');
  let rounds = 0;
  for (let last = await lastRow(); last !== OLDEST; last = await lastRow()) {
    await sentinel.scrollIntoViewIfNeeded();
    await expect(rows.last()).not.toHaveAttribute('data-posting-number', last);
    expect(await rows.count()).toBeLessThanOrEqual(MAX_ROWS);
    rounds += 1;
    expect(rounds, 'the end is reached within the pages the history has').toBeLessThanOrEqual(Math.ceil(everything.total / 50));
  }
  expect(await rows.count()).toBeLessThanOrEqual(MAX_ROWS);
  // The window ends at the last entry of the whole history.
  await expect(page.locator('.history-window')).toContainText(`–${everything.total} of ${everything.total}`);
  await expect(page.getByRole('button', { name: 'Show more cancellations' })).toBeHidden();

  // Back up: the pages let go come back from the server.
  const top = await rows.first().getAttribute('data-posting-number');
  await page.getByRole('button', { name: 'Show newer cancellations' }).click();
  await expect(rows.first()).not.toHaveAttribute('data-posting-number', top);
  expect(await rows.count()).toBeLessThanOrEqual(MAX_ROWS);

  // Filters: each goes into the URL, and the page starts over with the server's answer.
  await page.getByRole('combobox', { name: 'Reason' }).selectOption('other');
  await expect(page).toHaveURL(/[?&]reason=other/);
  const other = await api.history('reason=other&limit=1');
  await expect(page.locator('.history-total')).toHaveText(`${other.total} cancellations`);
  await expect(rows.first()).toContainText(REASON.other);
  await page.locator('input[name="from"]').fill('2026-01-10');
  await expect(page).toHaveURL(/[?&]from=2026-01-10/);
  const narrowed = await api.history('reason=other&from=2026-01-10&limit=1');
  expect(narrowed.total).toBeLessThan(other.total);
  await expect(page.locator('.history-total')).toHaveText(`${narrowed.total} cancellations`);
  // The URL alone brings the same view back.
  await page.reload();
  await expect(page.locator('.history-total')).toHaveText(`${narrowed.total} cancellations`);
  await expect(page.getByRole('combobox', { name: 'Reason' })).toHaveValue('other');

  // The export is the server's file for these filters: a BOM, the header, one line per entry.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export to CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('cancellations.csv');
  const text = fs.readFileSync(await file.path(), 'utf8');
  expect(text.startsWith('\ufeff')).toBeTruthy();
  const lines = text.slice(1).split('\r\n').filter(Boolean);
  expect(lines[0]).toBe('posting_number,order_number,kind,reason,comment,initiator,provider,provider_message,requested_at,decided_at,items');
  expect(lines.length - 1).toBe(narrowed.total);
  for (const line of lines.slice(1)) expect(line.split(',')[3]).toBe('other');
  expect(errors).toEqual([]);
});
