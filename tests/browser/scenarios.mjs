// What the browser tests do in the browser: Debian's chromium, driven by playwright-core (from
// web/node_modules), runs one scenario against a served app and prints what it saw as one JSON
// line; pytest (tests/browser/) checks it. A failed step prints {"error": ...} and exits 1.
//
//   node tests/browser/scenarios.mjs graphiql|explorer BASE_URL ARTIFACTS_DIR CHROMIUM
import { mkdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';

// playwright-core is installed by `npm ci` in web/, not next to this file.
const require = createRequire(new URL('../../web/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const [scenarioName, baseUrl, artifacts, executablePath] = process.argv.slice(2);
const STEP_TIMEOUT_MS = 30_000;
const SEED_RESEARCHER = 'A925533110232';

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

const screenshot = (page, name) =>
  page.screenshot({ path: `${artifacts}/${name}.png`, fullPage: false });

// Monaco draws only the lines in view, with non-breaking spaces; enough for what is checked here.
const editorText = async (page, selector) =>
  (await page.locator(`${selector} .view-lines`).first().innerText()).replaceAll('\u00a0', ' ');

async function graphiql(page) {
  await page.goto(`${baseUrl}/graphql`);
  await page.locator('.graphiql-query-editor .monaco-editor').first().waitFor();
  const tabs = await page.locator('.graphiql-tab').allInnerTexts();
  const profile = {
    query: await editorText(page, '.graphiql-query-editor'),
    variables: await editorText(page, '.graphiql-editor-tool'),
  };
  await page.locator('.graphiql-execute-button').click();
  const response = page.locator('.graphiql-response');
  await response.getByText('Ekin D. Cubuk').waitFor();
  await screenshot(page, 'graphiql');
  profile.response = await editorText(page, '.graphiql-response');

  await page.locator('.graphiql-tab', { hasText: 'Explore' }).click();
  await page.locator('.graphiql-query-editor', { hasText: 'query Explore' }).waitFor();
  const explore = {
    query: await editorText(page, '.graphiql-query-editor'),
    variables: await editorText(page, '.graphiql-editor-tool'),
  };

  await page.locator('.graphiql-tab', { hasText: 'TopicAnalysis' }).click();
  await page.locator('.graphiql-query-editor', { hasText: 'query TopicAnalysis' }).waitFor();
  const analyst = {
    query: await editorText(page, '.graphiql-query-editor'),
    variables: await editorText(page, '.graphiql-editor-tool'),
  };
  await page.locator('.graphiql-execute-button').click();
  await response.getByText('Computer Science').waitFor();
  await screenshot(page, 'graphiql-analyst');
  analyst.response = await editorText(page, '.graphiql-response');
  return { tabs, profile, explore, analyst };
}

// What cytoscape draws, read from the instance the page exposes as window.cy.
const drawn = (page) =>
  page.evaluate(() => ({
    nodes: window.cy.nodes().map((node) => ({ ...node.data() })),
    edges: window.cy.edges().length,
    url: window.location.href,
    status: document.querySelector('#status').textContent,
  }));

async function waitForGraph(page, center) {
  const graph = page.locator('#graph[data-state="ready"], #graph[data-state="error"]');
  await page.waitForFunction(
    (id) => new URL(window.location.href).searchParams.get('center') === id,
    center,
  );
  await graph.waitFor();
  if ((await graph.getAttribute('data-state')) === 'error') {
    throw new Error(`the explorer says: ${await page.locator('#status').textContent()}`);
  }
  return drawn(page);
}

async function explorer(page) {
  await page.goto(`${baseUrl}/explorer`);
  await page.locator('#query').fill('Cubuk');
  const results = page.locator('#results button');
  await results.first().waitFor();
  const resultLabels = await results.allInnerTexts();
  await page.locator(`#results button[data-id="${SEED_RESEARCHER}"]`).click();
  const picked = await waitForGraph(page, SEED_RESEARCHER);
  await screenshot(page, 'explorer');

  // Re-centre by clicking a work where cytoscape drew it, as a person would.
  const work = picked.nodes.find((node) => node.kind === 'WORK');
  if (!work) throw new Error(`no work drawn around ${SEED_RESEARCHER}: ${picked.status}`);
  const box = await page.locator('#graph').boundingBox();
  const at = await page.evaluate((id) => window.cy.getElementById(id).renderedPosition(), work.id);
  await page.mouse.click(box.x + at.x, box.y + at.y);
  const recentred = await waitForGraph(page, work.id);
  await screenshot(page, 'explorer-recentred');

  await page.locator('#depth label', { hasText: '1' }).click();
  await page.waitForFunction(() => new URL(window.location.href).searchParams.get('depth') === '1');
  const depthOne = await waitForGraph(page, work.id);
  return { resultLabels, picked, recentred: { center: work.id, ...recentred }, depthOne };
}

const SCENARIOS = { graphiql, explorer };

async function main() {
  await mkdir(artifacts, { recursive: true });
  // A failure screenshot from an earlier run would pass for one of this run.
  await rm(`${artifacts}/${scenarioName}-failure.png`, { force: true });
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  const seen = { blocked: [], pageErrors: [], consoleErrors: [] };
  let page;
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
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
    const result = await SCENARIOS[scenarioName](page);
    console.log(JSON.stringify({ ...seen, ...result }));
  } catch (error) {
    if (page) await screenshot(page, `${scenarioName}-failure`).catch(() => {});
    console.log(JSON.stringify({ ...seen, error: error.message }));
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}

await main();
