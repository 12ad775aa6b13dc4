// The provider filter, and the URL as the list's state: Back and Forward restore the tab and the
// filters, and a shared link opens the same list. Read-only: it runs against the shared server.
import { test, expect } from '@playwright/test';
import { screenshot, sellerApi, watchErrors } from '../flows.js';

test('the provider filter lists the seller\'s providers, narrows the list and the tab counts, and Back/Forward restore it', async ({ page, request, baseURL }) => {
  const errors = watchErrors(page);
  const api = await sellerApi(request, baseURL);
  const { providers } = await api.providers();
  const names = [...new Set(providers.map((p) => p.name))];
  expect(names).toEqual(expect.arrayContaining(['Cainiao', 'China Post', 'YunExpress']));
  const cainiao = (await api.list('provider=Cainiao&limit=1')).total;
  const cainiaoInTransit = (await api.list('provider=Cainiao&status=in_transit&limit=1')).total;
  const everything = (await api.list('limit=1')).total;

  await page.goto('/');
  const table = page.getByRole('table', { name: 'Shipments' });
  const rows = table.locator('tbody tr');
  const provider = page.getByRole('combobox', { name: 'Delivery provider' });
  const summary = page.locator('p.summary');
  const tab = (name) => page.getByRole('navigation', { name: 'Shipment status' }).getByRole('link', { name: new RegExp(`^${name} \\d+$`) });
  await expect(summary).toContainText(`of ${everything} shipments`);
  // Any provider, then the seller's own providers by name.
  await expect(provider.locator('option')).toHaveText(['Any provider', ...names]);

  await provider.selectOption('Cainiao');
  await expect(page).toHaveURL(/\?provider=Cainiao$/);
  await expect(summary).toContainText(`of ${cainiao} shipments`);
  await expect(tab('All')).toHaveText(`All ${cainiao}`);
  await expect(tab('In transit')).toHaveText(`In transit ${cainiaoInTransit}`);
  for (const cell of await rows.locator('td:nth-child(5)').allTextContents()) expect(cell).toContain('Cainiao');
  await screenshot(page, 'filter-provider.png');

  await tab('In transit').click();
  await expect(page).toHaveURL(/\?status=in_transit&provider=Cainiao$/);
  await expect(summary).toContainText(`of ${cainiaoInTransit} shipments`);
  await expect(provider).toHaveValue('Cainiao');

  await page.goBack();
  await expect(page).toHaveURL(/\?provider=Cainiao$/);
  await expect(provider).toHaveValue('Cainiao');
  await expect(tab('All')).toHaveAttribute('aria-current', 'page');
  await expect(summary).toContainText(`of ${cainiao} shipments`);

  await page.goBack();
  await expect(page).toHaveURL(/\/$/);
  await expect(provider).toHaveValue('');
  await expect(summary).toContainText(`of ${everything} shipments`);

  await page.goForward();
  await expect(page).toHaveURL(/\?provider=Cainiao$/);
  await expect(provider).toHaveValue('Cainiao');
  await expect(summary).toContainText(`of ${cainiao} shipments`);
  for (const cell of await rows.locator('td:nth-child(5)').allTextContents()) expect(cell).toContain('Cainiao');

  await page.goForward();
  await expect(page).toHaveURL(/\?status=in_transit&provider=Cainiao$/);
  await expect(tab('In transit')).toHaveAttribute('aria-current', 'page');
  expect(errors).toEqual([]);
});

test('a shared link with a provider, a delivery method and a city opens that list', async ({ page, request, baseURL }) => {
  const errors = watchErrors(page);
  const api = await sellerApi(request, baseURL);
  const query = 'delivery=china_post&provider=China+Post&city=Almaty';
  const expected = (await api.list(`${query}&limit=1`)).total;
  expect(expected).toBeGreaterThan(0);

  await page.goto(`/?${query}`);
  await expect(page.getByRole('combobox', { name: 'Delivery provider' })).toHaveValue('China Post');
  await expect(page.getByRole('combobox', { name: 'Delivery method' })).toHaveValue('china_post');
  await expect(page.getByRole('textbox', { name: 'Destination city' })).toHaveValue('Almaty');
  await expect(page.locator('p.summary')).toContainText(`of ${expected} shipments`);

  // Clearing the filters drops the provider too, as one step Back can undo.
  await page.getByRole('button', { name: 'Clear filters' }).first().click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('combobox', { name: 'Delivery provider' })).toHaveValue('');
  await page.goBack();
  await expect(page.getByRole('combobox', { name: 'Delivery provider' })).toHaveValue('China Post');
  expect(errors).toEqual([]);
});
