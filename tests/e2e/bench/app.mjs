// The app benchmark's browser half, run by `cargo xtask bench app`: xtask builds the app, starts the
// server with 10,000 shipments on a fresh database, runs this script, and turns the samples it
// writes into the `## App` section of BENCHMARKS.md. It measures; it computes no statistics.
//
//   node bench/app.mjs --url URL --dist DIR --out FILE.json [--loads N] [--keys N]

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium } from '@playwright/test';

const args = parseArgs(process.argv.slice(2));
const baseUrl = required(args, 'url').replace(/\/$/, '');
const dist = required(args, 'dist');
const out = required(args, 'out');
const loads = Number(args.loads ?? 10);
const keys = Number(args.keys ?? 100);

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

// The files of the first load, as index.html names them, with their sizes raw, at brotli quality 11
// (the size of a precompressed `.br` beside the file), and as the server sends them to a browser that
// accepts brotli.
async function transfer() {
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const names = ['index.html'];
  for (const match of html.matchAll(/(?:href|src|module_or_path:)\s*=?\s*['"]\/([^'"]+\.(?:js|wasm|css))['"]/g)) {
    if (!names.includes(match[1])) names.push(match[1]);
  }
  const assets = [];
  for (const name of names) {
    const bytes = fs.readFileSync(path.join(dist, name));
    const brotli = zlib.brotliCompressSync(bytes, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }).length;
    const url = name === 'index.html' ? `${baseUrl}/` : `${baseUrl}/${name}`;
    const served = await wireBytes(url);
    assets.push({
      name,
      kind: path.extname(name).slice(1) || 'html',
      raw: bytes.length,
      brotli,
      served: served.bytes,
      served_encoding: served.encoding,
    });
  }
  return assets;
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
// shipment rows are painted, and for each keystroke in the search box, when the table shows its result.
function probe() {
  const paintedAfter = (callback) =>
    // The frame that shows a DOM change is produced right after the animation-frame callbacks; a task
    // posted from one runs once that frame is done, so its time is the paint time.
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => callback(performance.now());
      channel.port2.postMessage(null);
    });

  const state = { firstRows: null, keys: [], pending: null };
  window.__bench = state;

  const busy = () => document.querySelector('.table-scroll[aria-busy]:not([aria-busy="false"])') !== null;
  const hasRows = () => document.querySelector('table.shipments tbody tr') !== null;

  new MutationObserver((records) => {
    if (state.firstRows === null && hasRows()) {
      state.firstRows = 'pending';
      paintedAfter((t) => { state.firstRows = t; });
    }
    const key = state.pending;
    if (key && !key.done) {
      // A keystroke's reload marks the table busy and clears the mark when its answer is in the rows.
      if (records.some((r) => r.type === 'attributes' && r.attributeName === 'aria-busy')) key.reloaded = true;
      if (key.reloaded && !busy()) {
        key.done = true;
        // Observers run right after the DOM changes, so this is when the rows held the answer.
        const shown = performance.now() - key.at;
        paintedAfter((t) => {
          // The list request this keystroke sent, as the browser timed it (the last one, should there
          // be more); the driver clears the timings before each keystroke.
          const request = performance.getEntriesByType('resource')
            .filter((e) => e.name.includes('/api/v1/shipments?') && e.startTime >= key.at)
            .pop();
          state.keys.push({
            key: key.key,
            ms: t - key.at,
            shown,
            rows: document.querySelectorAll('table.shipments tbody tr').length,
            request: request ? { sent: request.startTime - key.at, answered: request.responseEnd - key.at } : null,
          });
          state.pending = null;
        });
      }
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-busy'], characterData: true });

  // Capturing, on the window: the first listener to see the key, stamped with the event's own time.
  // A change without a key (the driver filling the box) is timed from its input event.
  const isSearch = (event) => event.target instanceof HTMLInputElement && event.target.name === 'q';
  window.addEventListener('keydown', (event) => {
    if (isSearch(event)) state.pending = { key: event.key, at: event.timeStamp, reloaded: false, done: false };
  }, true);
  window.addEventListener('input', (event) => {
    if (isSearch(event) && state.pending === null) {
      state.pending = { key: null, at: event.timeStamp, reloaded: false, done: false };
    }
  }, true);
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
    const assets = await transfer();
    const version = browser.version();

    // Each load in a fresh context: an empty cache, as on a seller's first visit.
    const firstRows = [];
    for (let i = 0; i < loads; i += 1) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      await page.addInitScript(probe);
      await page.goto(`${baseUrl}/`);
      await page.waitForFunction(() => typeof window.__bench.firstRows === 'number', null, { timeout: APP_TIMEOUT_MS });
      firstRows.push(await page.evaluate(() => window.__bench.firstRows));
      await context.close();
    }

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.addInitScript(probe);
    await page.goto(`${baseUrl}/`);
    await page.waitForFunction(() => typeof window.__bench.firstRows === 'number', null, { timeout: APP_TIMEOUT_MS });
    const search = page.locator('input[name="q"]');
    // One change of the box, and its painted result (null when only filled, not typed).
    const change = async (act) => {
      await page.evaluate(() => {
        window.__bench.keys.length = 0;
        window.__bench.pending = null;
        performance.clearResourceTimings();
      });
      await act();
      await page.waitForFunction(() => window.__bench.keys.length === 1, null, { timeout: APP_TIMEOUT_MS });
      return page.evaluate(() => window.__bench.keys[0]);
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

    fs.writeFileSync(out, JSON.stringify({ browser: `Chromium ${version}`, assets, first_rows_ms: firstRows, keystrokes }, null, 2));
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
