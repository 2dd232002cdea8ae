// What the GraphiQL and explorer browser tests do in chromium (tests/browser/test_graphiql.py
// and test_explorer.py check what they print; harness.mjs runs them):
//
//   node tests/browser/scenarios.mjs SCENARIO BASE_URL ARTIFACTS_DIR CHROMIUM [ARGS...]
//
// graphiql; explorerStart, explorerSeed, explorerFlows; explorerLarge CENTRE (a node with a
// 2,000-node neighbourhood at depth 3).
import { runScenario } from './harness.mjs';

const SEED_RESEARCHER = 'A925533110232';

// Monaco draws only the lines in view, with non-breaking spaces; enough for what is checked here.
const editorText = async (page, selector) =>
  (await page.locator(`${selector} .view-lines`).first().innerText()).replaceAll('\u00a0', ' ');

async function graphiql(page, { baseUrl, screenshot }) {
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
  await screenshot('graphiql');
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
  await screenshot('graphiql-analyst');
  analyst.response = await editorText(page, '.graphiql-response');
  return { tabs, profile, explore, analyst };
}

// What cytoscape draws, read from the instance the page exposes as window.cy.
const drawn = (page) =>
  page.evaluate(() => ({
    nodes: window.cy.nodes().map((node) => ({ ...node.data() })),
    edges: window.cy.edges().map((edge) => edge.id()),
    url: window.location.href,
    heading: document.querySelector('#centre-heading').textContent,
    status: document.querySelector('#status').textContent,
  }));

// The labels cytoscape shows, their boxes as cytoscape measures them (model coordinates) and
// the pairs of them that overlap; the smallest font on screen (px at the current zoom).
const labels = (page) =>
  page.evaluate(() => {
    const cy = window.cy;
    const shown = cy.nodes().filter((node) => node.style('label') !== '');
    const boxes = shown.map((node) => ({
      id: node.id(),
      ...node.boundingBox({ includeLabels: true, includeNodes: false, includeEdges: false }),
    }));
    const overlapping = [];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i], boxes[j]];
        if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2)
          overlapping.push([a.id, b.id]);
      }
    }
    const fonts = shown.map((node) => Number.parseFloat(node.style('font-size')) * cy.zoom());
    return {
      zoom: cy.zoom(),
      shown: boxes.map((box) => box.id),
      overlapping,
      smallestFontPx: Math.min(...fonts),
      emptyBoxes: boxes.filter((box) => box.w <= 0 || box.h <= 0).map((box) => box.id),
    };
  });

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

// A status change marks the end of a step that keeps the graph ready (expand, path).
async function waitForStatus(page, pattern) {
  await page.waitForFunction(
    (source) => new RegExp(source).test(document.querySelector('#status').textContent),
    pattern.source,
  );
  const state = await page.locator('#graph').getAttribute('data-state');
  if (state === 'error') throw new Error(await page.locator('#status').textContent());
}

const picker = (page) => page.getByLabel('Drawn nodes');

// The side panel once its details have arrived.
async function panel(page) {
  await page
    .locator('#panel-facts dt', { hasText: /Works|Year|Level|Country/ })
    .first()
    .waitFor();
  return page.evaluate(() => ({
    heading: document.querySelector('#panel-heading').textContent,
    kind: document.querySelector('#panel-kind').textContent,
    facts: document.querySelector('#panel-facts').innerText,
    profile: document.querySelector('#open-profile').hidden
      ? null
      : document.querySelector('#open-profile').getAttribute('href'),
  }));
}

// A download the page offers: its file name and its bytes (base64).
async function download(page, button) {
  const [offered] = await Promise.all([page.waitForEvent('download'), button.click()]);
  const chunks = [];
  for await (const chunk of await offered.createReadStream()) chunks.push(chunk);
  return {
    suggested: offered.suggestedFilename(),
    base64: Buffer.concat(chunks).toString('base64'),
  };
}

// Opening /explorer with no centre: the prompt's suggestions, then a search picked from.
async function explorerStart(page, { baseUrl, screenshot }) {
  await page.goto(`${baseUrl}/explorer`);
  const suggestions = page.locator('#suggestions button');
  await suggestions.first().waitFor();
  const suggested = await suggestions.evaluateAll((buttons) =>
    buttons.map((button) => ({ id: button.dataset.id, text: button.textContent })),
  );
  const prompt = await page.locator('#prompt').innerText();
  await screenshot('explorer-start');

  await page.getByLabel('Search the graph').fill('Cubuk');
  const results = page.locator('#results button');
  await results.first().waitFor();
  const resultLabels = await results.allInnerTexts();
  await page.locator(`#results button[data-id="${SEED_RESEARCHER}"]`).click();
  const picked = await waitForGraph(page, SEED_RESEARCHER);
  return { suggested, prompt, resultLabels, picked };
}

// The link the README gives: the seed at depth 2, every label legible and none overlapping.
async function explorerSeed(page, { baseUrl, screenshot }) {
  await page.goto(`${baseUrl}/explorer?center=${SEED_RESEARCHER}&depth=2`);
  const seen = await waitForGraph(page, SEED_RESEARCHER);
  const legend = await page.locator('#legend li').allInnerTexts();
  const title = await page.title();
  await screenshot('explorer');
  const atFit = await labels(page);
  // Zoomed out fewer labels fit, zoomed in more; none overlaps at any zoom.
  const zoomed = [];
  for (const factor of [0.5, 2, 4]) {
    const level = await page.evaluate(
      ([times, fit]) => {
        const cy = window.cy;
        cy.zoom({
          level: times * fit,
          renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 },
        });
        return cy.zoom();
      },
      [factor, atFit.zoom],
    );
    await page.waitForFunction(
      (zoom) => Number(document.querySelector('#graph').dataset.labelZoom) === zoom,
      level,
    );
    zoomed.push({ factor, ...(await labels(page)) });
  }
  return { ...seen, legend, title, labels: atFit, zoomed };
}

// The side panel, expand, path, exports, re-centring, views and kinds, as a person uses them.
async function explorerFlows(page, { baseUrl, screenshot }) {
  await page.goto(`${baseUrl}/explorer?center=${SEED_RESEARCHER}&depth=2`);
  const first = await waitForGraph(page, SEED_RESEARCHER);

  // A click on a work where cytoscape drew it opens its panel.
  const work = first.nodes.find((node) => node.kind === 'WORK');
  const box = await page.locator('#graph').boundingBox();
  const at = await page.evaluate((id) => window.cy.getElementById(id).renderedPosition(), work.id);
  await page.mouse.click(box.x + at.x, box.y + at.y);
  const workPanel = { id: work.id, ...(await panel(page)) };

  // Keyboard only: Tab to the list of drawn nodes, pick one with the arrow keys.
  await page.locator('body').click({ position: { x: 2, y: 2 } });
  let focused = null;
  for (let presses = 0; presses < 40 && focused !== 'node-picker'; presses++) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate(() => document.activeElement?.id);
  }
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowDown');
  const keyboard = { reached: focused, picked: await picker(page).inputValue() };

  await picker(page).selectOption(SEED_RESEARCHER);
  const seedPanel = await panel(page);

  // Expand a topic two hops out: its own neighbourhood (its subfield) joins the drawing.
  const topic = first.nodes.find((node) => node.kind === 'TOPIC');
  await picker(page).selectOption(topic.id);
  await page.getByRole('button', { name: 'Expand' }).click();
  await waitForStatus(page, /^Expanded/);
  const expanded = { id: topic.id, ...(await drawn(page)) };

  // A path between two drawn nodes: from a co-author two hops out to the topic.
  const coauthor = first.nodes.find((node) => node.kind === 'RESEARCHER' && node.hop === 2);
  await picker(page).selectOption(coauthor.id);
  await page.getByRole('button', { name: 'Path from here' }).click();
  await picker(page).selectOption(topic.id);
  await waitForStatus(page, /^Path of|^No path/);
  const path = await page.evaluate(() => ({
    nodes: window.cy.nodes('.on-path').map((node) => node.id()),
    edges: window.cy.edges('.on-path').map((edge) => edge.id()),
    text: document.querySelector('#path-text').textContent,
  }));
  await screenshot('explorer-path');

  const shown = await drawn(page);
  const png = await download(page, page.getByRole('button', { name: 'Export PNG' }));
  const graphml = await download(page, page.getByRole('button', { name: 'Export GraphML' }));
  await page.getByRole('button', { name: 'Clear path' }).click();

  // Centre on the work, then back on the seed, through the panel.
  await picker(page).selectOption(work.id);
  await page.getByRole('button', { name: 'Centre here' }).click();
  const recentred = await waitForGraph(page, work.id);
  await screenshot('explorer-recentred');
  await picker(page).selectOption(SEED_RESEARCHER);
  await page.getByRole('button', { name: 'Centre here' }).click();
  await waitForGraph(page, SEED_RESEARCHER);

  // The co-authors view, then depth 1, each kept in the URL.
  const viewOptions = await page
    .locator('#view option')
    .evaluateAll((options) =>
      options.map((option) => ({ value: option.value, disabled: option.disabled })),
    );
  await page.getByLabel('View').selectOption('COAUTHORS');
  await page.waitForFunction(
    () => new URL(window.location.href).searchParams.get('view') === 'COAUTHORS',
  );
  const coauthors = await waitForGraph(page, SEED_RESEARCHER);
  await page.locator('#depth label', { hasText: '1' }).click();
  await page.waitForFunction(() => new URL(window.location.href).searchParams.get('depth') === '1');
  const coauthorsDepthOne = await waitForGraph(page, SEED_RESEARCHER);

  // Back to the full graph without works.
  await page.getByLabel('View').selectOption('FULL');
  await page.waitForFunction(() => !new URL(window.location.href).searchParams.has('view'));
  await waitForGraph(page, SEED_RESEARCHER);
  await page.getByLabel('Work').uncheck();
  await page.waitForFunction(() => new URL(window.location.href).searchParams.has('kinds'));
  const noWorks = await waitForGraph(page, SEED_RESEARCHER);
  return {
    first,
    workPanel,
    keyboard,
    seedPanel,
    expanded,
    path: { from: coauthor.id, to: topic.id, ...path },
    shown,
    png,
    graphml,
    recentred,
    viewOptions,
    coauthors,
    coauthorsDepthOne,
    noWorks,
  };
}

// Render times and interaction latency in the browser: first frame of a 2,000-node answer,
// then zoom and pan steps, each timed from the change to the frame that draws it.
async function explorerLarge(page, { baseUrl, screenshot, args: [center] }) {
  const started = Date.now();
  await page.goto(`${baseUrl}/explorer?center=${center}&depth=3&limit=2000`);
  const seen = await waitForGraph(page, center);
  const readyMs = Date.now() - started;
  const timings = await page.evaluate(() => window.explorerTimings);
  const labelsAtFit = await labels(page);
  const steps = await page.evaluate(async () => {
    const cy = window.cy;
    const frame = async (change) => {
      const began = performance.now();
      const rendered = new Promise((resolve) => cy.one('render', resolve));
      change();
      await rendered;
      return performance.now() - began;
    };
    const middle = { x: cy.width() / 2, y: cy.height() / 2 };
    const out = { zoom: [], pan: [] };
    for (const factor of [1.25, 1.25, 1.25, 0.8, 0.8]) {
      out.zoom.push(
        await frame(() => cy.zoom({ level: cy.zoom() * factor, renderedPosition: middle })),
      );
    }
    for (let step = 0; step < 5; step++) {
      out.pan.push(await frame(() => cy.panBy({ x: 40, y: 25 })));
    }
    return out;
  });
  // A real wheel turn, from the event to the frame.
  const box = await page.locator('#graph').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.evaluate(() => {
    window.wheelFrame = new Promise((resolve) =>
      window.cy.one('render', () => resolve(performance.now())),
    );
    window.wheelStart = performance.now();
  });
  await page.mouse.wheel(0, -120);
  const wheelMs = await page.evaluate(async () => (await window.wheelFrame) - window.wheelStart);
  // A click on a node still opens its panel.
  const clicked = seen.nodes.find((node) => node.kind === 'RESEARCHER' && node.id !== center);
  await picker(page).selectOption(clicked.id);
  const clickedPanel = await panel(page);
  await screenshot('explorer-large');
  return {
    center,
    nodes: seen.nodes.length,
    nodeIds: seen.nodes.map((node) => node.id),
    edges: seen.edges.length,
    status: seen.status,
    readyMs,
    timings,
    labels: {
      shown: labelsAtFit.shown.length,
      overlapping: labelsAtFit.overlapping,
      smallestFontPx: labelsAtFit.smallestFontPx,
    },
    steps,
    wheelMs,
    clickedPanel,
  };
}

const SCENARIOS = { graphiql, explorerStart, explorerSeed, explorerFlows, explorerLarge };

await runScenario(SCENARIOS);
