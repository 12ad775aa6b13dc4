// The parts that load after the list, each from its own wasm module (src/lazy/, built by
// xtask/src/app_build.rs): every one opens, standalone and inside the demo portal, in each locale;
// only the active locale's catalogue is fetched; a module that fails once is retried, and one that
// keeps failing is reported in the seller's language while the rest of the app keeps working.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, expect } from '@playwright/test';
import { screenshot, showcase, watchErrors } from '../flows.js';
import { startServer } from '../servers.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const LOCALES = ['en', 'zh-CN', 'ru'];
const catalogue = Object.fromEntries(
  LOCALES.map((locale) => [
    locale,
    JSON.parse(fs.readFileSync(path.join(here, '..', '..', '..', 'locales', `${locale}.json`), 'utf8')),
  ]),
);
/** A sentence of a catalogue with its placeholders filled. */
function say(locale, key, values = {}) {
  const sentence = key.split('.').reduce((node, part) => node[part], catalogue[locale]);
  return sentence.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name) => String(values[name]));
}

// Demo data (crates/server/API.md): awaiting packaging, Screen protector × 5 and Phone case × 1 (a
// commercial shipment, so its dialog offers the split); and one that cancels at once.
const COMMERCIAL = showcase(24);
const CANCELS_NOW = showcase(26);

/** The wasm modules a page fetches, by their name without the content hash (`split_cancel_dialog`). */
function watchModules(page) {
  const fetched = [];
  page.on('request', (request) => {
    const name = new URL(request.url()).pathname.split('/').pop();
    const match = /^((?:split|chunk)_[a-z0-9_]+)-[0-9a-f]{16}\.wasm$/.exec(name);
    if (match) fetched.push(match[1]);
  });
  return fetched;
}

/** Where the app's document is: the page itself, or the portal's frame. */
async function openApp(page, server, locale, framed) {
  if (!framed) {
    await page.goto(`${server.url}/?lang=${locale}`);
    return page;
  }
  await page.goto(server.portalUrl);
  const frame = page.frameLocator('#app');
  await expect(frame.locator('tr[data-posting-number]').first()).toBeVisible();
  if (locale !== 'en') await page.getByLabel('Language').selectOption(locale);
  return frame;
}

/** Searches the list for one posting number and returns its row. */
async function findRow(app, locale, pn) {
  await app.getByRole('searchbox', { name: say(locale, 'filters.search') }).fill(pn);
  const row = app.locator(`tr[data-posting-number="${pn}"]`);
  await expect(row).toBeVisible();
  await expect(app.locator('tr[data-posting-number]')).toHaveCount(1);
  return row;
}

for (const framed of [false, true]) {
  for (const locale of LOCALES) {
    const where = framed ? 'inside the demo portal' : 'standalone';
    test(`every lazily loaded part opens ${where} in ${locale}, and only ${locale}'s catalogue is fetched`, async ({ page }) => {
      const server = await startServer({ portal: framed, name: `lazy-${locale}-${framed ? 'portal' : 'alone'}` });
      try {
        const errors = watchErrors(page);
        const modules = watchModules(page);
        const app = await openApp(page, server, locale, framed);
        const html = app.locator('html');
        await expect(html).toHaveAttribute('lang', locale);
        await expect(app.getByRole('heading', { level: 1, name: say(locale, 'app.page_title') })).toBeVisible();

        // The list's extras, after the first rows: the filter bar and the rate widget with its bars.
        await expect(app.getByRole('search', { name: say(locale, 'filters.name') })).toBeVisible();
        await expect(app.locator('.rate-widget .rate-value')).toBeVisible();
        await expect(app.locator('.rate-widget svg rect').first()).toBeAttached();

        // The cancellation dialog, and from it the split of a commercial shipment.
        const row = await findRow(app, locale, COMMERCIAL);
        await row.getByRole('button', { name: say(locale, 'list.cancel_shipment'), exact: true }).click();
        const cancel = app.getByRole('dialog', { name: say(locale, 'dialog.title') });
        await expect(cancel).toBeVisible();
        await cancel.getByRole('button', { name: say(locale, 'split.open') }).click();
        const split = app.getByRole('dialog', { name: say(locale, 'split.title') });
        await expect(split).toBeVisible();
        await page.keyboard.press('Escape');
        await expect(split).toBeHidden();

        // "Cancel some products".
        await row.getByRole('button', { name: say(locale, 'partial.open'), exact: true }).click();
        const partial = app.getByRole('dialog', { name: say(locale, 'partial.title') });
        await expect(partial).toBeVisible();
        await page.keyboard.press('Escape');
        await expect(partial).toBeHidden();

        // The bulk bar, and the bulk cancellation of the selected shipments.
        await row.getByRole('checkbox', { name: say(locale, 'list.select_shipment', { posting: COMMERCIAL }) }).check();
        await expect(app.getByRole('region', { name: say(locale, 'list.cancel_selected') }))
          .toContainText(say(locale, 'bulk.selected.one', { count: 1 }));
        await app.getByRole('button', { name: say(locale, 'list.cancel_selected'), exact: true }).click();
        const bulk = app.getByRole('dialog', { name: say(locale, 'bulk.title') });
        await expect(bulk).toBeVisible();
        await page.keyboard.press('Escape');
        await expect(bulk).toBeHidden();
        await app.getByRole('button', { name: say(locale, 'list.clear_selection') }).click();

        // The follow-up after an out-of-stock cancellation.
        const now = await findRow(app, locale, CANCELS_NOW);
        await now.getByRole('button', { name: say(locale, 'list.cancel_shipment'), exact: true }).click();
        const dialog = app.getByRole('dialog', { name: say(locale, 'dialog.title') });
        await dialog.getByRole('radio', { name: say(locale, 'reason.out_of_stock') }).check();
        await dialog.locator('.dialog-footer button.danger').click();
        await expect(dialog).toBeHidden();
        await expect(app.getByRole('heading', { name: say(locale, 'follow_up.next_steps') })).toBeVisible();

        // The history page.
        await app.getByRole('navigation', { name: say(locale, 'app.sections') })
          .getByRole('link', { name: say(locale, 'history.title') }).click();
        await expect(app.getByRole('heading', { level: 1, name: say(locale, 'history.title') })).toBeVisible();
        await expect(app.locator('table tbody tr').first()).toBeVisible();
        if (!framed) await screenshot(page, `lazy-history-${locale}.png`);

        for (const module of ['list_extras', 'dialogs', 'history_page']) {
          expect(modules, `the ${module} module was fetched`).toContain(`split_${module}`);
        }
        const catalogues = [...new Set(modules.filter((name) => name.startsWith('split_catalogue_')))];
        expect(catalogues).toEqual(locale === 'en' ? [] : [`split_catalogue_${locale.replace('-', '_').toLowerCase()}`]);
        expect(errors).toEqual([]);
      } finally {
        await server.stop();
      }
    });
  }
}

test.describe('a module that does not load', () => {
  let server;
  test.beforeAll(async () => {
    server = await startServer({ name: 'lazy-failures' });
  });
  test.afterAll(async () => {
    await server.stop();
  });

  // The loader logs each failed fetch; the app warns before it tries again.
  const FAILED_FETCH = [/Failed to fetch|net::ERR_FAILED|TypeError/];

  test('fails once, and the retry opens the dialog', async ({ page }) => {
    const errors = watchErrors(page, FAILED_FETCH);
    const warnings = [];
    page.on('console', (message) => {
      if (message.type() === 'warning') warnings.push(message.text());
    });
    let attempts = 0;
    await page.route(/\/split_dialogs-[0-9a-f]{16}\.wasm$/, async (route) => {
      attempts += 1;
      if (attempts === 1) await route.abort('failed');
      else await route.continue();
    });
    await page.goto(`${server.url}/?q=${CANCELS_NOW}`);
    const row = page.locator(`tr[data-posting-number="${CANCELS_NOW}"]`);
    await row.getByRole('button', { name: 'Cancel shipment', exact: true }).click();
    await expect(page.getByRole('dialog', { name: 'Cancel shipment' })).toBeVisible();
    expect(attempts).toBe(2);
    expect(warnings.some((w) => w.includes('trying again'))).toBe(true);
    await expect(page.getByText('This part of the app could not be loaded.')).toHaveCount(0);
    expect(errors).toEqual([]);
  });

  for (const locale of LOCALES) {
    test(`keeps failing: the seller is told in ${locale}, the app keeps working, and Try again works once the network is back`, async ({ page }) => {
      const errors = watchErrors(page, FAILED_FETCH);
      let broken = true;
      let attempts = 0;
      await page.route(/\/split_dialogs-[0-9a-f]{16}\.wasm$/, async (route) => {
        attempts += 1;
        if (broken) await route.abort('failed');
        else await route.continue();
      });
      await page.goto(`${server.url}/?lang=${locale}&q=${CANCELS_NOW}`);
      const row = page.locator(`tr[data-posting-number="${CANCELS_NOW}"]`);
      await row.getByRole('button', { name: say(locale, 'list.cancel_shipment'), exact: true }).click();

      const failed = page.getByRole('dialog', { name: say(locale, 'app.part_failed') });
      await expect(failed).toBeVisible();
      await expect(failed.getByRole('alert')).toHaveText(say(locale, 'app.part_failed_detail'));
      expect(attempts).toBeGreaterThanOrEqual(3);
      await screenshot(page, `lazy-failed-${locale}.png`);

      // Close: the list is still there and answers, and a part of another module still opens.
      await failed.locator('.dialog-footer').getByRole('button', { name: say(locale, 'app.close') }).click();
      await expect(failed).toBeHidden();
      await page.getByRole('searchbox', { name: say(locale, 'filters.search') }).fill(COMMERCIAL);
      await expect(page.locator(`tr[data-posting-number="${COMMERCIAL}"]`)).toBeVisible();
      await expect(row).toBeHidden();
      await page.getByRole('navigation', { name: say(locale, 'app.sections') })
        .getByRole('link', { name: say(locale, 'history.title') }).click();
      await expect(page.getByRole('heading', { level: 1, name: say(locale, 'history.title') })).toBeVisible();
      await page.goBack();

      // The network is back: Try again opens the dialog.
      await page.getByRole('searchbox', { name: say(locale, 'filters.search') }).fill(CANCELS_NOW);
      await expect(row).toBeVisible();
      await row.getByRole('button', { name: say(locale, 'list.cancel_shipment'), exact: true }).click();
      await expect(failed).toBeVisible();
      broken = false;
      await failed.getByRole('button', { name: say(locale, 'app.try_again') }).click();
      await expect(page.getByRole('dialog', { name: say(locale, 'dialog.title') })).toBeVisible();
      expect(errors).toEqual([]);
    });
  }
});

/** Holds back every fetch of the list's extras until `release` is called. */
async function holdExtras(page) {
  let release;
  const released = new Promise((resolve) => {
    release = resolve;
  });
  await page.route(/\/split_list_extras-[0-9a-f]{16}\.wasm$/, async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

/** The element's box in the page, for checking that nothing moved. */
async function box(locator) {
  const { x, y, width, height } = await locator.boundingBox();
  return { x: Math.round(x), y: Math.round(y), width: Math.round(width), height: Math.round(height) };
}

test.describe("the list's extras (the filter bar, the bulk bar, the rate widget)", () => {
  let server;
  test.beforeAll(async () => {
    server = await startServer({ name: 'lazy-extras' });
  });
  test.afterAll(async () => {
    await server.stop();
  });

  test('hold their places until they arrive, and a row ticked before keeps its selection', async ({ page }) => {
    const errors = watchErrors(page);
    const modules = watchModules(page);
    const release = await holdExtras(page);
    await page.goto(`${server.url}/?q=${COMMERCIAL}`);
    const row = page.locator(`tr[data-posting-number="${COMMERCIAL}"]`);
    await expect(row).toBeVisible();
    // The first rows came without the extras: their places are held, nothing can be typed into them.
    await expect.poll(() => modules.includes('split_list_extras'), { message: 'the extras asked for' }).toBe(true);
    const filtersWaiting = page.locator('.filters-waiting');
    await expect(filtersWaiting).toBeVisible();
    await expect(filtersWaiting.locator('input[type="search"]')).toBeDisabled();
    await expect(page.getByRole('search')).toHaveCount(0);
    await expect(page.locator('.rate-widget[aria-busy="true"] .chart-waiting')).toBeVisible();
    const filtersBefore = await box(filtersWaiting);
    const rateBefore = await box(page.locator('.rate-widget'));

    // A row ticked now: the bar's place shows the count at once, its buttons wait for the module.
    await row.getByRole('checkbox', { name: say('en', 'list.select_shipment', { posting: COMMERCIAL }) }).check();
    const bar = page.getByRole('region', { name: 'Cancel selected shipments' });
    await expect(bar).toContainText('1 shipment selected');
    await expect(bar.getByRole('button', { name: 'Cancel selected shipments' })).toBeDisabled();
    const barBefore = await box(bar);
    const table = page.locator('.table-scroll');
    const tableBefore = await box(table);
    await screenshot(page, 'lazy-extras-waiting.png');

    release();
    await expect(page.getByRole('search', { name: 'Filters' })).toBeVisible();
    await expect(page.locator('.rate-widget .rate-value')).toBeVisible();
    await expect(bar.getByRole('button', { name: 'Cancel selected shipments' })).toBeEnabled();
    // The selection made before is the bar's, and the search box shows the URL's search.
    await expect(bar).toContainText('1 shipment selected');
    await expect(row.getByRole('checkbox', { name: say('en', 'list.select_shipment', { posting: COMMERCIAL }) })).toBeChecked();
    await expect(page.getByRole('searchbox', { name: 'Search' })).toHaveValue(COMMERCIAL);
    await screenshot(page, 'lazy-extras-arrived.png');

    // Nothing moved when they arrived: the placeholders had their sizes.
    expect(await box(page.getByRole('search', { name: 'Filters' }))).toEqual(filtersBefore);
    expect(await box(bar)).toEqual(barBefore);
    expect(await box(table)).toEqual(tableBefore);
    expect((await box(page.locator('.rate-widget'))).height).toBe(rateBefore.height);

    await bar.getByRole('button', { name: 'Cancel selected shipments' }).click();
    await expect(page.getByRole('dialog', { name: say('en', 'bulk.title') })).toBeVisible();
    expect(errors).toEqual([]);
  });

  for (const locale of LOCALES) {
    test(`keep failing: the seller is told in ${locale}, the list keeps working, and Try again brings them`, async ({ page }) => {
      const errors = watchErrors(page, [/Failed to fetch|net::ERR_FAILED|TypeError/]);
      let broken = true;
      let attempts = 0;
      await page.route(/\/split_list_extras-[0-9a-f]{16}\.wasm$/, async (route) => {
        attempts += 1;
        if (broken) await route.abort('failed');
        else await route.continue();
      });
      await page.goto(`${server.url}/?lang=${locale}&q=${COMMERCIAL}`);
      const row = page.locator(`tr[data-posting-number="${COMMERCIAL}"]`);
      await expect(row).toBeVisible();
      // The filter bar's and the rate widget's places each say so, in the seller's language.
      const failures = page.locator('.part-failed[role="alert"]');
      await expect(failures).toHaveCount(2);
      await expect(failures.first()).toContainText(say(locale, 'app.part_failed'));
      expect(attempts).toBeGreaterThanOrEqual(3);
      await screenshot(page, `lazy-extras-failed-${locale}.png`);

      // The list still works: a dialog of another module opens.
      await row.getByRole('button', { name: say(locale, 'list.cancel_shipment'), exact: true }).click();
      const dialog = page.getByRole('dialog', { name: say(locale, 'dialog.title') });
      await expect(dialog).toBeVisible();
      await page.keyboard.press('Escape');
      await expect(dialog).toBeHidden();

      // One Try again brings back both places: they share the module.
      broken = false;
      await failures.first().getByRole('button', { name: say(locale, 'app.try_again') }).click();
      await expect(page.getByRole('search', { name: say(locale, 'filters.name') })).toBeVisible();
      await expect(page.locator('.rate-widget .rate-value')).toBeVisible();
      await expect(failures).toHaveCount(0);
      // And the bulk bar, whose module is there now, shows with a selection.
      await row.getByRole('checkbox', { name: say(locale, 'list.select_shipment', { posting: COMMERCIAL }) }).check();
      await expect(page.getByRole('button', { name: say(locale, 'list.cancel_selected'), exact: true })).toBeEnabled();
      expect(errors).toEqual([]);
    });
  }
});

test('a dialog whose module is prefetched opens within the frame of the click', async ({ page }) => {
  const modules = watchModules(page);
  await page.goto(`/?q=${CANCELS_NOW}`);
  const row = page.locator(`tr[data-posting-number="${CANCELS_NOW}"]`);
  await expect(row).toBeVisible();
  await expect.poll(() => modules.includes('split_history_page'), { message: 'every part prefetched' }).toBe(true);
  // The click and the check run in one task: the dialog must be in the page before the browser
  // paints the next frame. The page behind turns inert, and the focus moves into the dialog, once
  // that frame is painted (src/modal/inert.rs): making fifty rows inert in the click's frame
  // restyled the whole page and held the dialog back by 10–30 ms.
  const frames = await page.evaluate(async (pn) => {
    const state = () => {
      const dialog = document.querySelector('[role="dialog"][aria-labelledby="cancel-dialog-title"]');
      return {
        dialog: dialog !== null,
        inert: document.querySelector('.page-body').inert,
        focused: dialog !== null && dialog.contains(document.activeElement),
      };
    };
    const button = document.querySelector(`tr[data-posting-number="${pn}"] button.cancel`);
    button.click();
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    await frame();
    const clicked = state();
    // The task after that frame's paint, then one more frame: the page is inert by then.
    await new Promise((resolve) => setTimeout(resolve, 0));
    await frame();
    return { clicked, next: state() };
  }, CANCELS_NOW);
  expect(frames.clicked).toEqual({ dialog: true, inert: false, focused: false });
  expect(frames.next).toEqual({ dialog: true, inert: true, focused: true });
});

test('the cancellation dialog is rehearsed once its module is in, where nobody sees it', async ({ page }) => {
  // src/cancel/rehearsal.rs: the dialog is built once, away from the document, so that its code is
  // compiled before the seller's first click. It must leave no trace: no dialog, no request for the
  // rate (the rate widget's is the only one), and the focus where it was (nowhere: the page's body).
  const rates = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/api/v1/metrics/cancellation-rate') rates.push(request.url());
  });
  const modules = watchModules(page);
  await page.goto('/');
  await expect(page.locator('table.shipments tbody tr').first()).toBeVisible();
  await expect
    .poll(() => page.evaluate(() => performance.getEntriesByName('app: cancellation dialog rehearsed').length), {
      message: 'the rehearsal ran',
    })
    .toBe(1);
  // Two frames later: a focus given back on the rehearsal's cleanup would have landed by then.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.locator('.page-body')).not.toHaveAttribute('inert', /.*/);
  expect(rates).toHaveLength(1);
  // The rehearsal waited for the prefetch to bring the dialogs' module, after the list's extras:
  // asking for it at the first rows put 120 KB on the wire beside them.
  expect(modules.indexOf('split_list_extras')).toBeGreaterThanOrEqual(0);
  expect(modules.indexOf('split_list_extras')).toBeLessThan(modules.indexOf('split_dialogs'));
});
