// A server of its own, for the specs that stop, restart or reconfigure one (the shared server that
// xtask starts must stay up for the other specs). xtask passes the built binary, the app's dist
// directory, the demo seed and a scratch directory in the environment.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run these tests with \`cargo xtask test e2e\`.`);
  return value;
}

/** A port that was free a moment ago; the server binds it right after. */
async function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

let started = 0;

/**
 * Starts `server --demo` on a fresh database with the demo seed.
 * - `portal: true` also serves the demo portal on another port (another origin);
 * - `seed` loads another fixture than the demo's (a file the spec wrote, for example);
 * - `args` adds command-line flags (for example `['--portal-origin', 'http://127.0.0.1:9']`).
 * `restart()` starts it again on the same ports and the same database, as an operator would.
 */
export async function startServer({ portal = false, args = [], name = 'server', seed = null } = {}) {
  const scratch = required('E2E_SCRATCH_DIR');
  started += 1;
  const db = path.join(scratch, `${name}-${process.pid}-${started}.db`);
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(db + suffix, { force: true });
  const port = await freePort();
  const portalPort = portal ? await freePort() : null;
  const flags = [
    '--demo',
    '--seed', seed ?? required('E2E_DEMO_FIXTURE'),
    '--db', db,
    '--dist', required('E2E_DIST_DIR'),
    '--addr', `127.0.0.1:${port}`,
    ...(portalPort ? ['--portal-addr', `127.0.0.1:${portalPort}`] : []),
    ...args,
  ];
  const log = fs.createWriteStream(path.join(scratch, `${name}-${process.pid}-${started}.log`), { flags: 'a' });

  const server = {
    url: `http://127.0.0.1:${port}`,
    portalUrl: portalPort ? `http://127.0.0.1:${portalPort}` : null,
    db,
    child: null,
    async start() {
      // A fixed secret, so that a restart keeps the tokens the page already holds valid; in the
      // environment, never on the command line, where `ps` shows it.
      const env = { ...process.env, SERVER_TOKEN_SECRET: 'e2e-token-secret-of-enough-bytes' };
      const child = spawn(required('E2E_SERVER_BIN'), flags, { stdio: ['ignore', 'pipe', 'pipe'], env });
      this.child = child;
      child.stderr.pipe(log, { end: false });
      await new Promise((resolve, reject) => {
        let seen = '';
        const onData = (chunk) => {
          log.write(chunk);
          seen += chunk.toString();
          if (seen.includes('listening on http://')) {
            child.stdout.off('data', onData);
            child.stdout.pipe(log, { end: false });
            resolve();
          }
        };
        child.stdout.on('data', onData);
        child.once('exit', (code, signal) =>
          reject(new Error(`the server exited before it listened (code ${code}, signal ${signal}); see ${log.path}`)));
      });
      return this;
    },
    /** Stops the server and waits until the process is gone, so its port is free again. */
    async stop() {
      const child = this.child;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      this.child = null;
    },
    async restart() {
      await this.stop();
      return this.start();
    },
  };
  return server.start();
}
