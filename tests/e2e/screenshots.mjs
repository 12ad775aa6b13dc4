// Takes the README's screenshots in each locale: the list, the cancellation dialog (a reason chosen,
// the rate preview shown), the list on a narrow page (one card per shipment), and the app inside the
// demo seller portal; the list, the dialog and the portal also in the dark theme; and the "Cancel
// some products" dialog (light). `SCREENSHOTS_ONLY=partial` takes the partial dialog's alone.
// Not a test: run it against a running demo (`cargo xtask run --port 8460` serves the app on 8460 and
// the demo portal on 8461), then look at every image.
//   node tests/e2e/screenshots.mjs http://127.0.0.1:8460 docs/screenshots [http://127.0.0.1:8461]
import { chromium } from 'playwright-core';
import path from 'node:path';

const [base = 'http://127.0.0.1:8460', out = 'docs/screenshots', portalArg] = process.argv.slice(2);
const portal = portalArg ?? (() => {
  const url = new URL(base);
  url.port = String(Number(url.port) + 1);
  return url.origin;
})();
const LOCALES = ['en', 'zh-CN', 'ru'];
const THEMES = ['light', 'dark'];
const WIDE = { width: 1366, height: 900 };
const NARROW = { width: 800, height: 1000 };
const ONLY = process.env.SCREENSHOTS_ONLY;
// Awaiting packaging, 5 screen protectors and a phone case: two protectors fewer clear the
// commercial warning, and out of stock names the product whose stock is reset.
const PARTIAL = '87654321-0024-1';

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-quic'],
});

/** The file name: light is the plain name, dark gets a suffix. */
const file = (name, locale, theme) => path.join(out, `${name}-${locale}${theme === 'dark' ? '-dark' : ''}.png`);

async function shoot(page, name) {
  await page.screenshot({ path: name });
  console.log(name);
}

/** The list, standalone: the app follows the system's colour scheme there. */
async function openList(locale, theme, viewport) {
  const page = await browser.newPage({ viewport, colorScheme: theme });
  await page.goto(`${base}/?lang=${locale}`);
  await page.locator('table.shipments tbody tr').first().waitFor();
  // The chart's bars come with their own module, after the first rows.
  await page.locator('.rate-widget svg').waitFor();
  // The tab counts come in their own request, after the rows.
  await page.locator('.tabs .count').first().waitFor();
  return page;
}

/** The partial cancellation dialog: two units chosen, a reason, what remains and the effects. */
async function partialDialog(locale) {
  const page = await browser.newPage({ viewport: { width: 1366, height: 1100 }, colorScheme: 'light' });
  await page.goto(`${base}/?lang=${locale}&q=${PARTIAL}`);
  await page.locator(`tr[data-posting-number="${PARTIAL}"] button.partial`).click();
  const stepper = page.locator('.stepper').first();
  await stepper.locator('button.step').last().click();
  await stepper.locator('button.step').last().click();
  await page.locator("input[name='partial-reason'][value='out_of_stock']").check();
  await page.locator('.rate-preview .rate').waitFor();
  await page.locator('.remains .warning-clears').waitFor();
  await shoot(page, path.join(out, `partial-dialog-${locale}.png`));
  await page.close();
}

try {
  for (const locale of LOCALES) {
    await partialDialog(locale);
    if (ONLY === 'partial') continue;
    for (const theme of THEMES) {
      const page = await openList(locale, theme, WIDE);
      await shoot(page, file('shipments', locale, theme));
      await page.locator('button.cancel:not([disabled])').first().click();
      await page.locator("input[name='reason'][value='out_of_stock']").check();
      await page.locator('.rate-preview .rate').waitFor();
      await shoot(page, file('cancel-dialog', locale, theme));
      await page.close();
    }

    const narrow = await openList(locale, 'light', NARROW);
    await shoot(narrow, path.join(out, `shipments-narrow-${locale}.png`));
    await narrow.close();

    for (const theme of THEMES) {
      const page = await browser.newPage({ viewport: WIDE });
      await page.goto(portal);
      const app = page.frameLocator('#app');
      await app.locator('table.shipments tbody tr').first().waitFor();
      // The portal tells the app its locale and theme by message, as a real portal does.
      // By id: the portal's own labels follow its language.
      await page.locator('select#locale').selectOption(locale);
      await page.locator('select#theme').selectOption(theme);
      await app.locator(`html[lang="${locale}"]`).waitFor({ state: 'attached' });
      await app.locator(`html[data-theme="${theme}"]`).waitFor({ state: 'attached' });
      await app.locator('.rate-widget svg').waitFor();
      await app.locator('.tabs .count').first().waitFor();
      await shoot(page, file('in-portal', locale, theme));
      await page.close();
    }
  }
} finally {
  await browser.close();
}
