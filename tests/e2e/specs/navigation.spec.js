// The URL as the app's state across its two pages (src/url/): the section links and the tabs move
// without reloading the page, Back and Forward walk every state of both pages, a reload opens the
// same state, and a ctrl/cmd-click leaves the page for a new tab. Read-only: it runs against the
// shared server.
import { test, expect } from '@playwright/test';
import { showcase, watchErrors } from '../flows.js';

const sections = (page) => page.getByRole('navigation', { name: 'Sections' });
const listLink = (page) => sections(page).getByRole('link', { name: 'Orders from my warehouse' });
const historyLink = (page) => sections(page).getByRole('link', { name: 'Cancellation history' });
const statusTab = (page, name) =>
  page.getByRole('navigation', { name: 'Shipment status' }).getByRole('link', { name: new RegExp(`^${name}( \\d+)?$`) });
const kindTab = (page, name) =>
  page.getByRole('navigation', { name: 'Kind of cancellation' }).getByRole('link', { name, exact: true });
const historyHeading = (page) => page.getByRole('heading', { level: 1, name: 'Cancellation history' });

/** Marks the document, so that a test can tell that a navigation did not load the page again. */
const mark = (page) => page.evaluate(() => { window.sameDocument = true; });
const stillMarked = (page) => page.evaluate(() => window.sameDocument === true);

async function expectListPage(page, tab) {
  await expect(page.getByRole('table', { name: 'Shipments' })).toBeVisible();
  await expect(statusTab(page, tab)).toHaveAttribute('aria-current', 'page');
  await expect(listLink(page)).toHaveAttribute('aria-current', 'page');
  await expect(historyLink(page)).not.toHaveAttribute('aria-current');
}

async function expectHistoryPage(page, kind) {
  await expect(historyHeading(page)).toBeVisible();
  await expect(kindTab(page, kind)).toHaveAttribute('aria-current', 'page');
  await expect(historyLink(page)).toHaveAttribute('aria-current', 'page');
  await expect(listLink(page)).not.toHaveAttribute('aria-current');
}

test('the sections and the tabs change the URL in place, and Back, Forward and reload restore every state', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await expectListPage(page, 'All');
  await mark(page);
  await statusTab(page, 'In transit').click();
  await expect(page).toHaveURL(/\/\?status=in_transit$/);
  await expectListPage(page, 'In transit');

  await historyLink(page).click();
  await expect(page).toHaveURL(/\/history$/);
  await expectHistoryPage(page, 'All');

  await kindTab(page, 'Rejected by the provider').click();
  await expect(page).toHaveURL(/\/history\?kind=rejected$/);
  await expectHistoryPage(page, 'Rejected by the provider');

  await page.goBack();
  await expect(page).toHaveURL(/\/history$/);
  await expectHistoryPage(page, 'All');

  await page.goBack();
  await expect(page).toHaveURL(/\/\?status=in_transit$/);
  await expectListPage(page, 'In transit');
  await expect(historyHeading(page)).toBeHidden();

  await page.goForward();
  await expect(page).toHaveURL(/\/history$/);
  await expectHistoryPage(page, 'All');

  await page.goForward();
  await expect(page).toHaveURL(/\/history\?kind=rejected$/);
  await expectHistoryPage(page, 'Rejected by the provider');

  // The list's link from the history, then a tab: both in the same document as the first load.
  await listLink(page).click();
  await expect(page).toHaveURL(/\/$/);
  await expectListPage(page, 'All');
  await statusTab(page, 'Delivered').click();
  await expect(page).toHaveURL(/\/\?status=delivered$/);
  await expectListPage(page, 'Delivered');
  expect(await stillMarked(page)).toBe(true);

  // A click on the link of the page already shown adds no step for Back.
  await statusTab(page, 'Delivered').click();
  await page.goBack();
  await expect(page).toHaveURL(/\/$/);
  await expectListPage(page, 'All');

  await page.goto('/history?kind=rejected');
  await page.reload();
  await expectHistoryPage(page, 'Rejected by the provider');
  expect(errors).toEqual([]);
});

test('a ctrl/cmd-click on a section opens it in a new tab and leaves this page as it is', async ({ page, context }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await expectListPage(page, 'All');
  await mark(page);

  const opened = context.waitForEvent('page');
  await historyLink(page).click({ modifiers: ['ControlOrMeta'] });
  const tab = await opened;
  await expect(tab).toHaveURL(/\/history$/);
  await expectHistoryPage(tab, 'All');

  await expect(page).toHaveURL(/\/$/);
  await expectListPage(page, 'All');
  expect(await stillMarked(page)).toBe(true);
  await tab.close();
  expect(errors).toEqual([]);
});

test('leaving a searched list for the history does not start the list on the history\'s query', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await expectListPage(page, 'All');
  // The list remembers its first rows: a list started on the history's query (none) would show
  // them at once and ask the server after the next paint, when the list is gone.
  await page.getByRole('searchbox', { name: 'Search' }).fill(showcase(17));
  await expect(page.locator('tr[data-posting-number]')).toHaveCount(1);
  await expect(page).toHaveURL(new RegExp(`\\?q=${showcase(17)}$`));
  await historyLink(page).click();
  await expectHistoryPage(page, 'All');
  await expect(page.locator('table tbody tr').first()).toBeVisible();
  expect(errors).toEqual([]);
});

test('leaving the list while its page is on the way, then its answer arriving, leaves the app working', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await expectListPage(page, 'All');
  // The next list page is held until the seller is on the history; its answer then comes to a list
  // that is gone (src/shipments/list.rs, still_current).
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route(/\/api\/v1\/shipments\?.*status=in_transit/, async (route) => {
    await held;
    await route.continue();
  });
  const asked = page.waitForRequest(/\/api\/v1\/shipments\?.*status=in_transit/);
  await statusTab(page, 'In transit').click();
  await asked;
  await historyLink(page).click();
  await expectHistoryPage(page, 'All');
  const answered = page.waitForResponse(/\/api\/v1\/shipments\?.*status=in_transit/);
  release();
  await answered;
  // The app still answers the seller: the history's tabs, then the list again.
  await kindTab(page, 'Rejected by the provider').click();
  await expectHistoryPage(page, 'Rejected by the provider');
  await listLink(page).click();
  await expectListPage(page, 'All');
  await expect(page.locator('tr[data-posting-number]').first()).toBeVisible();
  expect(errors).toEqual([]);
});

test('a path the app does not know shows the list', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/no-such-page');
  await expectListPage(page, 'All');
  expect(errors).toEqual([]);
});
