/**
 * Redis for the distributed tests. `sharedRedis()` is the server `.ci/run` started (ZEROTH_REDIS_URL); outside CI
 * it starts a private one. `startRedis()` always starts a private server on 127.0.0.1 on a free port — for the
 * tests that kill and restart Redis. A missing redis-server is an error, never a skip.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, Socket } from 'node:net';

/** A redis-server this process started. */
export interface RedisServer {
  readonly url: string;
  readonly port: number;
  /** SIGKILL: the data is gone (no persistence). */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty). */
  restart(): Promise<void>;
  /** Stops it (idempotent). */
  stop(): Promise<void>;
}

const started: RedisServer[] = [];
process.once('exit', () => {
  for (const s of started) void s.stop();
});

/** Whether redis-server is installed; the message to fail with when it is not. */
export function requireRedisServer(): void {
  const r = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (r.error !== undefined || r.status !== 0) {
    throw new Error('redis-server is not installed: the distributed tests need it (apt-get install -y redis-server; .ci/run installs it)');
  }
}

/** A free TCP port on 127.0.0.1 (probed by binding port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Resolves once a PING on the port answers PONG; rejects after `ms`. */
export async function waitForRedis(port: number, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    if (await ping(port)) return;
    if (Date.now() > end) throw new Error(`redis-server on 127.0.0.1:${port} did not answer PING within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    let got = '';
    const done = (ok: boolean): void => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(1000, () => done(false));
    s.once('error', () => done(false));
    s.connect(port, '127.0.0.1', () => s.write('PING\r\n'));
    s.on('data', (b) => {
      got += b.toString();
      if (got.includes('\r\n')) done(got.startsWith('+PONG'));
    });
  });
}

/** Starts a private redis-server on 127.0.0.1 on a free port, without persistence. */
export async function startRedis(): Promise<RedisServer> {
  requireRedisServer();
  let child: ChildProcess | undefined;
  let port = 0;
  const launch = async (): Promise<void> => {
    const c = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'], {
      stdio: 'ignore',
    });
    child = c;
    const exited = new Promise<never>((_, reject) => c.once('exit', (code) => reject(new Error(`redis-server exited with code ${code} on port ${port}`))));
    exited.catch(() => undefined);
    await Promise.race([waitForRedis(port), exited]);
  };
  const stopChild = async (signal: NodeJS.Signals): Promise<void> => {
    const c = child;
    child = undefined;
    if (c === undefined || c.exitCode !== null || c.signalCode !== null) return;
    const gone = new Promise<void>((r) => c.once('exit', () => r()));
    c.kill(signal);
    await gone;
  };
  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    try {
      await launch();
      break;
    } catch (e) {
      await stopChild('SIGKILL');
      if (attempt >= 4) throw e;
    }
  }
  const server: RedisServer = {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill: () => stopChild('SIGKILL'),
    restart: async () => {
      await stopChild('SIGKILL');
      await launch();
    },
    stop: () => stopChild('SIGTERM'),
  };
  started.push(server);
  return server;
}

let shared: Promise<{ url: string; stop(): Promise<void> }> | undefined;

/**
 * The Redis of this test run: ZEROTH_REDIS_URL when set (CI sets it and must), else a private server started
 * for this test file. Throws — never skips — when there is none.
 */
export function sharedRedis(): Promise<{ url: string; stop(): Promise<void> }> {
  shared ??= (async () => {
    const url = process.env['ZEROTH_REDIS_URL'];
    if (url !== undefined && url !== '') {
      const port = Number(new URL(url).port || 6379);
      await waitForRedis(port, 5000);
      return { url, stop: async () => undefined };
    }
    if (process.env['CI'] === 'true') throw new Error('CI=true but ZEROTH_REDIS_URL is not set: .ci/run must start redis-server for the distributed tests');
    const s = await startRedis();
    return { url: s.url, stop: () => s.stop() };
  })();
  return shared;
}
