// How long "Cancel shipment" takes to show its dialog, from the click to the painted frame, when
// the dialog's module is not in the page yet (a cold cache, nothing prefetched) and once it has
// been prefetched. Each run is a fresh browser context, so nothing is cached between runs.
//
//   node lazy-timing.mjs --url http://127.0.0.1:8080 [--runs 15] [--rtt 150 --kbps 5000] [--unsplit yes]
//
// The prefetch is held back for the cold runs by stalling the first module it asks for (the rate
// chart's), so that the click is what fetches the dialog's module and the chunks it needs.
import { chromium } from 'playwright';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const url = args.url ?? 'http://127.0.0.1:8080';
const runs = Number(args.runs ?? 15);
const rtt = args.rtt ? Number(args.rtt) : null;
const kbps = args.kbps ? Number(args.kbps) : null;
// An unsplit build (Trunk's, for comparison) has nothing to prefetch and no cold runs.
const unsplit = args.unsplit === 'yes';
// Awaiting shipment, cancellable at once (crates/server/API.md, demo data).
const SHIPMENT = '87654321-0026-1';

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-quic'],
});

/** Clicks the row's Cancel shipment and resolves with the milliseconds to the painted dialog. */
function clickToPaint(page) {
  return page.evaluate(async (pn) => {
    const button = document.querySelector(`tr[data-posting-number="${pn}"] button.cancel`);
    const painted = new Promise((resolve) => {
      const shown = () => document.querySelector('[role="dialog"][aria-labelledby="cancel-dialog-title"]');
      const done = () => requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0));
      if (shown()) return done();
      const observer = new MutationObserver(() => {
        if (shown()) {
          observer.disconnect();
          done();
        }
      });
      observer.observe(document.body, { childList: true, subtree: true });
    });
    const start = performance.now();
    button.click();
    return (await painted) - start;
  }, SHIPMENT);
}

async function once(cold) {
  const context = await browser.newContext();
  const page = await context.newPage();
  if (rtt || kbps) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: rtt ?? 0,
      downloadThroughput: kbps ? (kbps * 1000) / 8 : -1,
      uploadThroughput: kbps ? (kbps * 1000) / 8 : -1,
    });
  }
  const held = [];
  if (cold) await page.route(/\/split_rate_chart-[0-9a-f]{16}\.wasm$/, (route) => held.push(route));
  const fetched = new Set();
  page.on('requestfinished', (request) => fetched.add(new URL(request.url()).pathname.split('/').pop()));
  await page.goto(`${url}/?q=${SHIPMENT}`);
  await page.locator(`tr[data-posting-number="${SHIPMENT}"] button.cancel`).waitFor();
  if (!cold && !unsplit) {
    // Every part is prefetched once the last one in the order (the history page) is in.
    const deadline = Date.now() + 20_000;
    while (![...fetched].some((name) => name.startsWith('split_history_page-')) && Date.now() < deadline) {
      await page.waitForTimeout(50);
    }
    await page.waitForTimeout(200);
  }
  if (cold && [...fetched].some((name) => /^split_(cancel_dialog|dialogs)-/.test(name))) {
    throw new Error('the dialog module was fetched before the click: not a cold run');
  }
  const ms = await clickToPaint(page);
  for (const route of held) await route.abort().catch(() => {});
  await context.close();
  return ms;
}

function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { runs: sorted.length, median: at(0.5), p95: at(0.95), min: sorted[0], max: sorted[sorted.length - 1] };
}

const cold = [];
const warm = [];
for (let i = 0; i < runs; i += 1) {
  if (!unsplit) cold.push(await once(true));
  warm.push(await once(false));
}
await browser.close();
const round = (s) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, Math.round(v * 10) / 10]));
console.log(JSON.stringify({ network: rtt || kbps ? { rtt, kbps } : 'loopback', cold: cold.length ? round(summary(cold)) : null, prefetched: round(summary(warm)) }, null, 2));
