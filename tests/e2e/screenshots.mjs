// Takes the README's screenshots of the list and the cancellation dialog in each locale.
// Not a test: run it against a running demo (`cargo xtask run --port 8460`), then look at the images.
//   node tests/e2e/screenshots.mjs http://127.0.0.1:8460 docs/screenshots
import { chromium } from 'playwright-core';
import path from 'node:path';

const [base = 'http://127.0.0.1:8460', out = 'docs/screenshots'] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-quic'],
});
try {
  for (const locale of ['en', 'zh-CN', 'ru']) {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await page.goto(`${base}/?lang=${locale}`);
    await page.locator('table.shipments tbody tr').first().waitFor();
    await page.locator('.rate-widget svg, .rate-widget .rate-value').first().waitFor();
    await page.screenshot({ path: path.join(out, `shipments-${locale}.png`) });
    await page.locator('button.cancel:not([disabled])').first().click();
    await page.locator("input[name='reason'][value='out_of_stock']").check();
    await page.locator('.rate-preview .rate').waitFor();
    await page.screenshot({ path: path.join(out, `cancel-dialog-${locale}.png`) });
    await page.close();
  }
} finally {
  await browser.close();
}
