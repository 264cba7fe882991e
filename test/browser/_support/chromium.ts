import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * The flags zeroth's browser tests start Chromium with: WebGPU on SwiftShader (a CPU implementation, so the tests
 * run on machines without a GPU), no sandbox (root in CI), and none of Chromium's background network traffic.
 */
export const chromiumFlags = [
  '--enable-unsafe-webgpu',
  '--use-webgpu-adapter=swiftshader',
  '--no-sandbox',
  '--disable-gpu-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-domain-reliability',
  '--disable-breakpad',
  '--metrics-recording-only',
  '--disable-features=Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider',
];

/** Where Chromium is: `CHROMIUM_PATH`, else Debian's `/usr/bin/chromium`. */
export function chromiumPath(): string {
  return process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
}

/** A test page open in Chromium, served from 127.0.0.1. */
export interface BrowserPage {
  readonly page: Page;
  readonly url: string;
  /** Console lines and page errors so far (for failure messages). */
  readonly log: string[];
  close(): Promise<void>;
}

/**
 * Bundles `entry` (a TypeScript module that sets up the page) with esbuild, serves it with an empty HTML page on
 * 127.0.0.1 (a free port), starts Chromium with {@link chromiumFlags} and opens the page. Throws — loudly, never a
 * skip — when Chromium is missing or does not start.
 */
export async function openBrowserPage(entry: string): Promise<BrowserPage> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath}: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH.`);
  }
  const bundle = await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, logLevel: 'silent' });
  const script = bundle.outputFiles[0]!.contents;
  const html = '<!doctype html><meta charset="utf-8"><title>zeroth browser tests</title><script type="module" src="/main.js"></script>';
  const server: Server = createServer((req, res) => {
    if (req.url === '/main.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(script);
    } else if (req.url === '/' || req.url === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(html);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath, headless: true, args: chromiumFlags, timeout: 60_000 });
  } catch (e) {
    server.close();
    throw new Error(`Chromium (${executablePath}) did not start: ${e instanceof Error ? e.message : String(e)}`);
  }
  const log: string[] = [];
  const page = await browser.newPage();
  page.on('console', (m) => log.push(`console.${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => log.push(`page error: ${e.message}`));
  await page.goto(url);
  await page.waitForFunction(() => (globalThis as { __zeroth?: unknown }).__zeroth !== undefined, undefined, { timeout: 30_000 });
  return {
    page,
    url,
    log,
    async close() {
      await browser.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
