// The app's start-up script. The build (xtask/src/app_build.rs) inlines it into index.html (`rel="inline"`), ahead of the
// stylesheet and the wasm, so it runs at once while the wasm downloads and compiles. It only starts
// the boot's requests and hands their promises to the app in `window.__appBoot`, which the app takes
// once and deletes (src/boot.rs); the app reads every answer with its own checks, and makes any
// request itself whose promise is absent or failed. The server's CSP allows this script by its hash,
// which it computes from the built index.html at start (crates/server/src/web.rs).
//
// What it mirrors: the paths and the config element's id of crates/domain (api.rs), the list's first query at `/` without
// filters (src/shipments), and src/start.rs's plan (a framed app never signs in as the demo seller).
// Native tests in src/boot.rs fail when these drift apart.
(() => {
  const API = '/api/v1';
  // What the page that opens asks for first, exactly as the app asks for it, when its URL has no
  // filters: the list's first page and then its tab counts at `/`, the history's first page at
  // `/history`.
  const FIRST_PAGE = API + '/shipments?sort=created_at&order=desc&limit=50';
  const COUNTS = API + '/shipments/counts';
  const HISTORY_PAGE = API + '/history?limit=50';
  const PREFETCH = { '/': [FIRST_PAGE, COUNTS], '/history': [HISTORY_PAGE] };

  let framed;
  try {
    framed = window.top !== window;
  } catch {
    // A browser that hides the top window from us is framing us.
    framed = true;
  }

  // Messages from the portal that arrive before the wasm listens, kept only in a frame. The app's
  // bridge judges each one with the same checks as a later message (the sender is the parent, its
  // origin configured).
  const messages = [];
  const keep = (event) => messages.push(event);
  const stopKeeping = () => window.removeEventListener('message', keep);
  if (framed) window.addEventListener('message', keep);

  // An answer as the app takes it over: its status and its body's text, read here as it arrives.
  // Reading a body takes the app a task of its own, and the browser paints between tasks; text in
  // hand is read in the same task as the app's render.
  const answer = (r) => r.text().then((body) => ({ ok: r.ok, status: r.status, body }));
  // Called inside a promise's callback, where a throw rejects.
  const read = (a) => {
    if (!a.ok) throw new Error(`HTTP ${a.status}`);
    return JSON.parse(a.body);
  };

  // The server writes its answer to `/config` into this page (crates/server/src/web.rs), which
  // saves the boot a round trip; a page without it (another server) asks. Written, it is read here
  // at once, so that the sign-in leaves while this script runs: behind a promise it waited for the
  // next task, and the browser's tasks then (the page's parsing, a timer) held it back by up to
  // 100 ms. Unreadable, it is read as before, and the app sees the failure.
  const CONFIG_ELEMENT_ID = 'app-config';
  const written = document.getElementById(CONFIG_ELEMENT_ID);
  const config =
    written === null
      ? fetch(API + '/config').then(answer)
      : Promise.resolve({ ok: true, status: 200, body: written.textContent });
  let known = null;
  if (written !== null) {
    try {
      known = JSON.parse(written.textContent);
    } catch {
      known = null;
    }
  }
  // Only when the config was not written: it is then asked for, and read once for both uses.
  const settings = known === null ? config.then(read) : null;
  // With the config in hand, now; otherwise once it is answered.
  const withSettings = (use) => {
    if (settings !== null) return settings.then(use);
    try {
      return Promise.resolve(use(known));
    } catch (error) {
      return Promise.reject(error);
    }
  };

  // Inside the portal: say `ready` to each configured origin as the app's bridge does, so the
  // portal's `init` (and its token) is on its way while the wasm compiles, kept in `messages` above
  // until the bridge judges it. The browser delivers it only to the origin the parent really has;
  // never to '*'.
  const readySaid = withSettings((c) => {
    if (!framed || c.portal_origins.length === 0) {
      // No portal will talk to this app: nothing to keep for it.
      stopKeeping();
      messages.length = 0;
      return false;
    }
    for (const origin of c.portal_origins) {
      window.parent.postMessage({ v: 1, type: 'ready', payload: {} }, origin);
    }
    return true;
  });

  // Standalone on a demo server: the demo seller's sign-in.
  const session = withSettings((c) => {
    if (framed || !c.demo || !c.demo_seller_id) return null;
    const sellerId = c.demo_seller_id;
    const response = fetch(API + '/dev/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ seller_id: sellerId }),
    });
    return response.then(answer).then((a) => ({ sellerId, answer: a }));
  });

  // With that session, the first requests of the page that opens.
  const prefetch = location.search === '' ? PREFETCH[location.pathname] ?? [] : [];
  const token = session.then((s) => (s === null ? null : read(s.answer).token));
  // A successful answer is handed over as its body's text, so that the first rows render in the
  // same task as the page around them, in its first frame. Any other answer (a refusal, say) is
  // handed over as null, and the app asks itself.
  const get = (path, after) => ({
    url: new URL(path, location.href).href,
    body: after.then((t) =>
      t === null
        ? null
        : fetch(path, { headers: { Authorization: `Bearer ${t}` } }).then((r) => (r.ok ? r.text() : null)),
    ),
  });
  // The first page goes out alone; the others (the list's tab counts) follow once it is answered,
  // as the app asks for them (src/shipments/first_rows.rs): on a busy server a grouped count
  // beside it slowed the first page down fourfold.
  const gets = [];
  for (const path of prefetch) {
    const first = gets[0];
    const after = first === undefined ? token : first.body.then(() => token, () => token);
    gets.push(get(path, after));
  }

  // The app gets the sign-in only once the first page's request has left (its `fetch` is called
  // in the token's first callback, registered above): the app's first render after the sign-in
  // is one long task, and a request still waiting for its turn behind it left up to 90 ms later.
  // The render then runs while the server answers. A failed sign-in reaches the app as it came.
  const handedSession = session.then((s) => token.then(() => s, () => s));

  // Unhandled rejections would be logged as errors; the app sees the failure when it takes them.
  for (const promise of [readySaid, session, handedSession, token, ...gets.map((g) => g.body)]) {
    promise.catch(() => {});
  }

  Object.defineProperty(window, '__appBoot', {
    configurable: true,
    value: {
      config,
      session: handedSession,
      gets,
      messages,
      stopKeeping,
    },
  });
})();
