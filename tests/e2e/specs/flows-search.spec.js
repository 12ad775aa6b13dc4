// Typing a search and scrolling a long list: rows the app already has are shown at once, and the
// server's answer confirms them. Read-only: it runs against the shared server.
import { test, expect } from '@playwright/test';
import { screenshot, sellerApi, watchErrors } from '../flows.js';

const postings = (rows) => rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.postingNumber));

// The list's own requests, not the tab counts' (limit=1).
const isPage = (url) => url.includes('/api/v1/shipments?') && url.includes('limit=50');

// Holds the list requests the page sends until released, to look at the table before the answer.
async function holdListRequests(page) {
  const held = [];
  let holding = true;
  await page.route('**/api/v1/shipments?*', (route) => {
    if (!holding || !isPage(route.request().url())) return route.continue();
    held.push(route);
    return undefined;
  });
  return {
    held,
    async release() {
      holding = false;
      for (const route of held.splice(0)) await route.continue();
    },
    hold() {
      holding = true;
    },
  };
}

test('a longer search narrows the rows at once, Backspace brings the earlier rows back at once, and the URL follows', async ({ page, request, baseURL }) => {
  const errors = watchErrors(page);
  const api = await sellerApi(request, baseURL);
  const first = async (q) => (await api.list(`q=${q}&limit=20&sort=created_at&order=desc`)).items.map((s) => s.posting_number);
  // "tra" matches more than a page (50) and more words than "tracker": narrowing it to "trac" drops
  // rows, and the rows loaded are not all of the broader search's.
  const [tra, trac] = [await first('tra'), await first('trac')];
  expect((await api.list('q=tra&limit=1')).total).toBeGreaterThan(50);
  expect(tra.length).toBe(20);
  expect(trac).not.toEqual(tra);

  await page.goto('/');
  const scroll = page.locator('.table-scroll');
  const rows = page.getByRole('table', { name: 'Shipments' }).locator('tbody tr');
  const search = page.getByRole('searchbox', { name: 'Search' });
  await search.fill('tra');
  await expect(scroll).toHaveAttribute('data-load', 'ready');
  await expect.poll(() => postings(rows)).toEqual(tra);

  const server = await holdListRequests(page);
  await search.press('c');
  // The server has not answered, yet the table already shows the narrower search's first rows.
  await expect.poll(() => server.held.length).toBe(1);
  await expect(scroll).toHaveAttribute('data-load', 'refreshing');
  const narrowed = await postings(rows);
  expect(narrowed.length).toBeGreaterThan(0);
  expect(narrowed).toEqual(trac.slice(0, narrowed.length));
  // Rows shown at once are the answer, not stale rows: they are not dimmed. How many match in all
  // is the server's to say: until it does, the summary says the search is on its way.
  await expect(scroll).toHaveCSS('opacity', '1');
  const summary = page.locator('p.summary');
  await expect(summary).toHaveText('Searching…');
  await screenshot(page, 'search-narrowed-before-the-answer.png');
  await server.release();
  await expect(scroll).toHaveAttribute('data-load', 'ready');
  await expect.poll(() => postings(rows)).toEqual(trac);
  await expect(summary).toHaveText(`Showing ${trac.length} of ${(await api.list('q=trac&limit=1')).total} shipments`);

  server.hold();
  await search.press('Backspace');
  await expect.poll(() => server.held.length).toBe(1);
  await expect(scroll).toHaveAttribute('data-load', 'refreshing');
  expect(await postings(rows)).toEqual(tra);
  await server.release();
  await expect(scroll).toHaveAttribute('data-load', 'ready');
  await expect.poll(() => postings(rows)).toEqual(tra);

  // The URL follows once typing pauses; the search was one Back step.
  await expect(page).toHaveURL(/\?q=tra$/);
  await page.goBack();
  await expect(page).toHaveURL(/\/$/);
  await expect(search).toHaveValue('');
  await expect(summary).toContainText(`of ${(await api.list('limit=1')).total} shipments`);
  expect(errors).toEqual([]);
});

test('the table shows 20 rows, more of the loaded ones as the seller scrolls, then the next page', async ({ page, request, baseURL }) => {
  const errors = watchErrors(page);
  const api = await sellerApi(request, baseURL);
  const total = (await api.list('limit=1')).total;
  expect(total).toBeGreaterThan(80);
  const listRequests = [];
  page.on('request', (r) => {
    if (isPage(r.url())) listRequests.push(r.url());
  });

  await page.goto('/');
  const rows = page.getByRole('table', { name: 'Shipments' }).locator('tbody tr');
  const summary = page.locator('p.summary');
  const sentinel = page.locator('.sentinel');
  await expect(summary).toHaveText(`Showing 20 of ${total} shipments`);
  await expect(rows).toHaveCount(20);
  expect(listRequests.length).toBe(1);

  // The first page brought 50: scrolling shows them without asking the server again.
  await sentinel.scrollIntoViewIfNeeded();
  await expect(rows).toHaveCount(40);
  await sentinel.scrollIntoViewIfNeeded();
  await expect(rows).toHaveCount(50);
  expect(listRequests.length).toBe(1);

  // Past the loaded rows, the next page is fetched once.
  await sentinel.scrollIntoViewIfNeeded();
  await expect(summary).toHaveText(`Showing 70 of ${total} shipments`);
  await expect(rows).toHaveCount(70);
  expect(listRequests.filter((url) => url.includes('cursor='))).toHaveLength(1);
  expect(errors).toEqual([]);
});
