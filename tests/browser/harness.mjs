// The browser side of the browser tests: Debian's chromium, driven by playwright-core (from
// web/node_modules), runs one named scenario against a served app with the network to other
// hosts cut off, and prints what it saw as one JSON line for pytest (tests/browser/conftest.py)
// to check. A failed step prints {"error": ...}, saves `<scenario>-failure.png` and exits 1.
//
//   node <scenarios file> SCENARIO BASE_URL ARTIFACTS_DIR CHROMIUM [ARGUMENTS...]
//
// A scenario is `async (page, { baseUrl, screenshot, args }) => result`.
import { mkdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';

// playwright-core is installed by `npm ci` in web/, not next to this file.
const require = createRequire(new URL('../../web/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const STEP_TIMEOUT_MS = 30_000;

// Flags that keep chromium from calling home, so the only traffic is the page's own.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Runs the scenario the command line names, from `scenarios` (name -> function). */
export async function runScenario(scenarios) {
  const [name, baseUrl, artifacts, executablePath, ...args] = process.argv.slice(2);
  const scenario = scenarios[name];
  await mkdir(artifacts, { recursive: true });
  // A failure screenshot from an earlier run would pass for one of this run.
  await rm(`${artifacts}/${name}-failure.png`, { force: true });
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  const seen = { blocked: [], pageErrors: [], consoleErrors: [] };
  let page;
  const screenshot = (shot, options = {}) =>
    page.screenshot({ path: `${artifacts}/${shot}.png`, fullPage: false, ...options });
  try {
    if (!scenario) throw new Error(`no scenario ${name}: ${Object.keys(scenarios).join(', ')}`);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    // The network cut off: any request to another host fails, and is recorded.
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1') return route.continue();
      seen.blocked.push(url.href);
      return route.abort('internetdisconnected');
    });
    page = await context.newPage();
    page.on('pageerror', (error) => seen.pageErrors.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error') seen.consoleErrors.push(message.text());
    });
    const result = await scenario(page, { baseUrl, screenshot, args });
    console.log(JSON.stringify({ ...seen, ...result }));
  } catch (error) {
    if (page) await screenshot(`${name}-failure`).catch(() => {});
    console.log(JSON.stringify({ ...seen, error: error.message }));
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}
