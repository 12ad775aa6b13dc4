// The app benchmark's browser half, run by `cargo xtask bench app`: xtask builds the app, starts the
// server with 10,000 shipments on a fresh database, runs this script, and turns the samples it
// writes into the `## App` section of BENCHMARKS.md. It measures; it computes no statistics.
//
//   node bench/app.mjs --url URL --dist DIR --out FILE.json [--loads N] [--emulated-loads N] [--keys N]
//                      [--dialogs N] [--reference PATH] [--before PATH]
//
// `--reference` is the path of the plain-JS reference page (reference.html here, which xtask serves
// beside the app), `--before` that of an older build of the app served beside it; each is loaded
// alternately with the app, in fresh contexts, on loopback and under emulated network conditions.

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium } from '@playwright/test';

const args = parseArgs(process.argv.slice(2));
const baseUrl = required(args, 'url').replace(/\/$/, '');
const dist = required(args, 'dist');
const out = required(args, 'out');
const loads = Number(args.loads ?? 12);
const emulatedLoads = Number(args['emulated-loads'] ?? 8);
const keys = Number(args.keys ?? 100);
const dialogs = Number(args.dialogs ?? 5);
const referencePath = args.reference ?? null;
const beforePath = args.before ?? null;

// Chromium's network emulation for the slow-link figures: 150 ms round trip, 5 Mbit/s each way.
const EMULATED = { offline: false, latency: 150, downloadThroughput: 5_000_000 / 8, uploadThroughput: 5_000_000 / 8 };
// The network is quiet (the idle prefetch is done) after this long without a request in flight.
const QUIET_MS = 500;

// Waiting for the app is bounded so that a broken build ends the run instead of hanging it.
const APP_TIMEOUT_MS = 30_000;

// Words from the generated products' names. The search box gets each word's first three letters at
// once (shorter queries match almost nothing, which would empty the table), then the rest of the word
// one key at a time, then Backspace back to three letters: every measured keystroke is a new query
// whose answer has rows.
const WORDS = ['bluetooth', 'wireless', 'fitness', 'protector', 'adapter', 'speaker', 'holder', 'tracker', 'sleeve'];
const PREFIX = 3;

function parseArgs(list) {
  const parsed = {};
  for (let i = 0; i < list.length; i += 2) {
    if (!list[i].startsWith('--') || list[i + 1] === undefined) {
      throw new Error(`expected --name value pairs, got ${list.slice(i).join(' ')}`);
    }
    parsed[list[i].slice(2)] = list[i + 1];
  }
  return parsed;
}

function required(parsed, name) {
  if (!parsed[name]) throw new Error(`--${name} is required`);
  return parsed[name];
}

// The files of the first load: those index.html names and any other the app fetched before its
// first rows (`fetched`, from a load's resource timing), with their sizes raw, at brotli quality 11
// (the size of a precompressed `.br` beside the file), and as the server sends them to a browser
// that accepts brotli.
async function transfer(fetched) {
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const names = ['index.html'];
  for (const match of html.matchAll(/(?:href|src|module_or_path:)\s*=?\s*['"]\/([^'"]+\.(?:js|wasm|css))['"]/g)) {
    if (!names.includes(match[1])) names.push(match[1]);
  }
  for (const name of fetched) {
    if (!names.includes(name) && fs.existsSync(path.join(dist, name))) names.push(name);
  }
  const assets = [];
  for (const name of names) {
    const url = name === 'index.html' ? `${baseUrl}/` : `${baseUrl}/${name}`;
    // index.html as the server sends it: with the config it writes into it.
    const bytes = name === 'index.html'
      ? Buffer.from(await (await fetch(url)).arrayBuffer())
      : fs.readFileSync(path.join(dist, name));
    const served = await wireBytes(url);
    assets.push({
      name,
      kind: path.extname(name).slice(1) || 'html',
      raw: bytes.length,
      brotli: brotliSize(bytes),
      served: served.bytes,
      served_encoding: served.encoding,
    });
  }
  return assets;
}

function brotliSize(bytes) {
  return zlib.brotliCompressSync(bytes, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  }).length;
}

// Every other wasm module in the dist folder (the lazily loaded parts, when the build splits the
// app), whatever the build names them.
function otherModules(firstLoad) {
  return fs.readdirSync(dist)
    .filter((name) => name.endsWith('.wasm') && !firstLoad.includes(name))
    .sort()
    .map((name) => {
      const bytes = fs.readFileSync(path.join(dist, name));
      return { name, raw: bytes.length, brotli: brotliSize(bytes) };
    });
}

// The body's bytes as they come over the wire: node:http, unlike fetch, does not decode them.
function wireBytes(url) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { headers: { 'accept-encoding': 'br, gzip' } }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`GET ${url}: ${res.statusCode}`));
        return;
      }
      let bytes = 0;
      res.on('data', (chunk) => { bytes += chunk.length; });
      res.on('end', () => resolve({ bytes, encoding: res.headers['content-encoding'] ?? 'identity' }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

// Installed before the app's own scripts: records, relative to navigation start, when the first
// shipment rows are painted, and for each keystroke in the search box, every frame painted until the
// list has the server's answer, with the rows each frame showed.
function probe() {
  const paintedAfter = (callback) =>
    // The frame that shows a DOM change is produced right after the animation-frame callbacks; a task
    // posted from one runs once that frame is done, so its time is the paint time.
    requestAnimationFrame(() => {
      const rows = shownRows();
      const channel = new MessageChannel();
      channel.port1.onmessage = () => callback(performance.now(), rows);
      channel.port2.postMessage(null);
    });

  const state = { firstRows: null, key: null };
  window.__bench = state;

  const shownRows = () =>
    [...document.querySelectorAll('table.shipments tbody tr')].map((tr) => tr.dataset.postingNumber);
  const hasRows = () => document.querySelector('table.shipments tbody tr') !== null;

  new MutationObserver(() => {
    if (state.firstRows === null && hasRows()) {
      state.firstRows = 'pending';
      paintedAfter((t) => { state.firstRows = t; });
    }
  }).observe(document, { subtree: true, childList: true });

  // Every frame from the key on, with the rows it showed and the list's state, until the driver has
  // what it needs; the rows are read in the animation-frame callback, just before that frame paints.
  const watch = (key) => {
    paintedAfter((t, rows) => {
      if (state.key !== key) return;
      const load = document.querySelector('.table-scroll')?.dataset.load ?? null;
      key.frames.push({ t: t - key.at, rows, load });
      if (!key.stop) watch(key);
    });
  };
  // Capturing, on the window: the first listener to see the key, stamped with the event's own time.
  // A change without a key (the driver filling the box) is timed from its input event.
  const isSearch = (event) => event.target instanceof HTMLInputElement && event.target.name === 'q';
  const start = (event, name) => {
    state.key = { key: name, at: event.timeStamp, frames: [], stop: false };
    watch(state.key);
  };
  window.addEventListener('keydown', (event) => {
    if (isSearch(event)) start(event, event.key);
  }, true);
  window.addEventListener('input', (event) => {
    if (isSearch(event) && (state.key === null || state.key.done)) start(event, null);
  }, true);

  // Once the list has the server's answer to this key: when the seller saw the result. That is the
  // first frame from which every frame shows rows the server's answer confirms, in its order, at
  // least a screenful of them (or all, when fewer match). Rows shown before the answer count only if
  // the answer confirms them, so a wrong early guess is timed until the answer replaced it.
  // A click on "Cancel shipment", to the paint of the frame that first shows its dialog.
  window.addEventListener('click', (event) => {
    if (!(event.target instanceof Element) || !event.target.closest('button.cancel')) return;
    const at = event.timeStamp;
    state.dialog = 'pending';
    const seen = () => document.querySelector('[aria-modal="true"]') !== null;
    const painted = () => paintedAfter((t) => { state.dialog = t - at; });
    if (seen()) { painted(); return; }
    const observer = new MutationObserver(() => {
      if (!seen()) return;
      observer.disconnect();
      painted();
    });
    observer.observe(document, { subtree: true, childList: true, attributes: true });
  }, true);

  state.settle = () => {
    const key = state.key;
    const request = performance.getEntriesByType('resource')
      .filter((e) => e.name.includes('/api/v1/shipments?') && e.startTime >= key.at)
      .pop();
    const answered = request ? request.responseEnd - key.at : null;
    const confirmedAt = key.frames.findIndex((f) => f.load === 'ready' && answered !== null && f.t >= answered);
    if (confirmedAt < 0) return null;
    key.stop = true;
    key.done = true;
    const final = key.frames[confirmedAt].rows;
    const screen = [...document.querySelectorAll('table.shipments tbody tr')]
      .filter((tr) => tr.getBoundingClientRect().top < window.innerHeight).length;
    const need = Math.min(final.length, screen);
    const confirms = (f) => f.rows.length >= need && f.rows.every((row, i) => row === final[i]);
    let first = confirmedAt;
    while (first > 0 && confirms(key.frames[first - 1])) first -= 1;
    return {
      key: key.key,
      ms: key.frames[first].t,
      confirmed: key.frames[confirmedAt].t,
      rows: final.length,
      screen,
      request: request ? { sent: request.startTime - key.at, answered } : null,
    };
  };
}

// One load of `path` in a fresh context (an empty cache, as on a seller's first visit), optionally
// under the emulated slow network: the time to the first rows, the API requests made until the page
// settled (`settled` is a selector it shows once its boot is done; the event stream stays open and
// is counted once), and the timeline of the load (every file and request, relative to navigation
// start, and the first rows).
async function load(browser, path, { emulate = false, settled = null, then = null } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    if (emulate) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', EMULATED);
    }
    const api = [];
    let inFlight = 0;
    let lastActivity = Date.now();
    page.on('request', (r) => {
      lastActivity = Date.now();
      const url = new URL(r.url());
      if (url.pathname === '/api/v1/events') { api.push(url.pathname); return; }
      if (url.pathname.startsWith('/api/')) api.push(url.pathname);
      inFlight += 1;
    });
    const done = (r) => {
      lastActivity = Date.now();
      if (new URL(r.url()).pathname !== '/api/v1/events') inFlight -= 1;
    };
    page.on('requestfinished', done);
    page.on('requestfailed', done);
    await page.addInitScript(probe);
    await page.goto(`${baseUrl}${path}`);
    await page.waitForFunction(() => typeof window.__bench.firstRows === 'number', null, { timeout: APP_TIMEOUT_MS });
    const rows = await page.evaluate(() => window.__bench.firstRows);
    const timeline = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => ({
      name: e.name.replace(location.origin, ''),
      start: e.startTime,
      answered: e.responseStart,
      end: e.responseEnd,
    })));
    if (settled) await page.waitForSelector(settled, { timeout: APP_TIMEOUT_MS });
    // Quiet for two polls in a row: the boot's requests are all answered.
    const quiet = async () => {
      for (let polls = 0; polls < 2; ) {
        await page.waitForTimeout(100);
        polls = inFlight === 0 ? polls + 1 : 0;
      }
    };
    if (settled) await quiet();
    const extra = then ? await then(page, async () => {
      await quiet();
      while (Date.now() - lastActivity < QUIET_MS) await page.waitForTimeout(100);
    }) : null;
    return { rows, requests: api.length, paths: api, timeline, extra };
  } finally {
    await context.close();
  }
}

// Opens the first cancellable row's dialog: at once after the first rows (cold: nothing of the
// dialog fetched yet) or once the network has been quiet a while (the idle prefetch done).
const openDialog = (prefetched) => async (page, quiet) => {
  if (prefetched) await quiet();
  await page.locator('table.shipments button.cancel:not([disabled])').first().click();
  await page.waitForFunction(() => typeof window.__bench.dialog === 'number', null, { timeout: APP_TIMEOUT_MS });
  return page.evaluate(() => window.__bench.dialog);
};

// The table's rows as markup: elements with their attributes in name order, and text; no comments
// (the app's markers). What the reference page must render exactly as the app does.
const tableMarkup = (page) => page.evaluate(() => {
  const write = (node) => {
    if (node.nodeType === Node.TEXT_NODE) return node.textContent;
    if (node.nodeType !== Node.ELEMENT_NODE) return '';
    const attributes = [...node.attributes].map((a) => `${a.name}="${a.value}"`).sort().join(' ');
    const tag = node.tagName.toLowerCase();
    return `<${tag}${attributes ? ' ' + attributes : ''}>${[...node.childNodes].map(write).join('')}</${tag}>`;
  };
  return [...document.querySelectorAll('table.shipments tr')].map(write);
});

// The comparison means something only if both pages show the same rows: fails the run otherwise,
// naming the first row that differs.
async function checkSameRows(browser) {
  const app = (await load(browser, '/', { then: tableMarkup })).extra;
  const reference = (await load(browser, referencePath, { then: tableMarkup })).extra;
  const differs = app.findIndex((row, i) => row !== reference[i]);
  if (differs === -1 && app.length === reference.length) return;
  throw new Error(`the reference page's rows are not the app's: row ${differs} of the table (${app.length} against ${reference.length} rows)
app:       ${app[differs] ?? '(none)'}
reference: ${reference[differs] ?? '(none)'}`);
}

async function main() {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  try {
    const version = browser.version();
    if (referencePath) await checkSameRows(browser);

    // The app, the reference page and the older build in turn, each load in a fresh context, so
    // that a slow moment of the machine hits them alike. The app's loads open the list and the
    // history: their first rows and the API requests each makes at boot.
    const pages = { app: '/', reference: referencePath, before: beforePath };
    const firstRows = { app: [], reference: [], before: [] };
    const emulated = { app: [], reference: [], before: [] };
    const timelines = {};
    const listRequests = [];
    const historyFirstRows = [];
    const historyRequests = [];
    for (let i = 0; i < loads; i += 1) {
      const list = await load(browser, '/', { settled: 'nav.tabs .count' });
      firstRows.app.push(list.rows);
      listRequests.push(list.requests);
      if (i === 0) timelines.loopback = { first_rows: list.rows, entries: list.timeline };
      const history = await load(browser, '/history', { settled: '.history-total' });
      historyFirstRows.push(history.rows);
      historyRequests.push(history.requests);
      if (i === 0) console.error(`boot requests: list ${list.paths.join(' ')}; history ${history.paths.join(' ')}`);
      for (const name of ['reference', 'before']) {
        if (pages[name]) firstRows[name].push((await load(browser, pages[name])).rows);
      }
    }
    for (let i = 0; i < emulatedLoads; i += 1) {
      for (const name of ['app', 'reference', 'before']) {
        if (!pages[name]) continue;
        const one = await load(browser, pages[name], { emulate: true });
        emulated[name].push(one.rows);
        if (i === 0) timelines[`emulated_${name}`] = { first_rows: one.rows, entries: one.timeline };
      }
    }

    // The files fetched before the first rows, from the first loopback load of the app.
    const before = timelines.loopback.entries
      .filter((e) => !e.name.startsWith('/api/') && !e.name.startsWith('http') && e.end <= timelines.loopback.first_rows)
      .map((e) => e.name.replace(/^\//, '').split('?')[0]);
    const assets = await transfer(before);
    const modules = otherModules(assets.map((a) => a.name));

    // The reference page opens the same dialog markup from a string, with nothing to fetch: the
    // floor of a click-to-paint on this machine, measured alternately with the app's.
    const dialog = { cold: [], prefetched: [], reference: [] };
    for (let i = 0; i < dialogs; i += 1) {
      dialog.cold.push((await load(browser, '/', { then: openDialog(false) })).extra);
      dialog.prefetched.push((await load(browser, '/', { then: openDialog(true) })).extra);
      if (referencePath) dialog.reference.push((await load(browser, referencePath, { then: openDialog(true) })).extra);
    }

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.addInitScript(probe);
    await page.goto(`${baseUrl}/`);
    await page.waitForFunction(() => typeof window.__bench.firstRows === 'number', null, { timeout: APP_TIMEOUT_MS });
    const search = page.locator('input[name="q"]');
    // One change of the box, and its painted result once the list has the server's answer.
    const change = async (act) => {
      await page.evaluate(() => {
        window.__bench.key = null;
        performance.clearResourceTimings();
      });
      await act();
      const settled = await page.waitForFunction(() => window.__bench.key && window.__bench.settle(), null, {
        timeout: APP_TIMEOUT_MS,
        polling: 'raf',
      });
      return settled.jsonValue();
    };
    const keystrokes = [];
    for (let word = 0; keystrokes.length < keys; word += 1) {
      const letters = WORDS[word % WORDS.length];
      await change(() => search.fill(letters.slice(0, PREFIX)));
      const typing = [...letters.slice(PREFIX)].concat(Array(letters.length - PREFIX).fill('Backspace'));
      for (const key of typing) {
        if (keystrokes.length >= keys) break;
        keystrokes.push(await change(() => search.press(key)));
      }
    }
    await context.close();

    fs.writeFileSync(out, JSON.stringify({
      browser: `Chromium ${version}`,
      assets,
      modules,
      first_rows_ms: firstRows.app,
      reference_first_rows_ms: firstRows.reference,
      before_first_rows_ms: firstRows.before,
      emulated_first_rows_ms: emulated,
      timelines,
      list_requests: listRequests,
      history_first_rows_ms: historyFirstRows,
      history_requests: historyRequests,
      dialog_ms: dialog,
      keystrokes,
    }, null, 2));
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
