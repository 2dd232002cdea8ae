// The explorer page: the neighbourhood of a node, drawn in rings by hop, with a side panel to
// expand a node, re-centre, open a researcher's profile or find a path between two nodes.
// It talks to the public GraphQL API only, with the same queries a client would send, and
// keeps what it shows (centre, depth, view, kinds, limit) in the URL.
import cytoscape from 'cytoscape';

import PAGE_QUERIES from '../queries/explorer-page.graphql';
import EXPLORE_QUERY from '../queries/explorer.graphql';
import SEARCH_QUERY from '../queries/search.graphql';
import { graphml } from './explorer-graphml.js';
import {
  fitLabel,
  LABEL_FONT_FAMILY,
  LABEL_GAP_PX,
  LABEL_PX,
  labelSide,
  labelsAt,
} from './explorer-labels.js';
import { radialLayout } from './explorer-layout.js';
import './explorer.css';

// Colours from a colour-blind-safe palette; shapes tell kinds apart without colour too.
const KINDS = {
  RESEARCHER: { name: 'Researcher', colour: '#0072b2', shape: 'ellipse' },
  WORK: { name: 'Work', colour: '#e69f00', shape: 'round-rectangle' },
  TOPIC: { name: 'Topic', colour: '#009e73', shape: 'diamond' },
  INSTITUTION: { name: 'Institution', colour: '#cc79a7', shape: 'triangle' },
};
const KIND_ORDER = Object.keys(KINDS);
// A view walks one kind of node, so it needs a centre of that kind.
const VIEW_KIND = { COAUTHORS: 'RESEARCHER', CITATIONS: 'WORK', TOPICS: 'TOPIC' };
const DEFAULTS = { depth: 2, view: 'FULL', limit: 200 };
const PATH_MAX_DEPTH = 4;
const SUGGESTIONS = 5;
const SEARCH_RESULTS = 10;
const SEARCH_DELAY_MS = 200;
const LABEL_DELAY_MS = 120;
// Fitting a handful of nodes to the screen would blow them up to giant discs.
const FIT_ZOOM_MAX = 1.6;
const FIT_PADDING_X = 130;
const FIT_PADDING_Y = 30;
const NODE_SIZE = [16, 48];
const EDGE_WIDTH = [1, 4];
// A drawing with more edges than this shows each node's edge toward the centre only.
const MANY_EDGES = 3000;

const $ = (selector) => document.querySelector(selector);
const graph = $('#graph');
const status = $('#status');
const heading = $('#centre-heading');
const queryInput = $('#query');
const results = $('#results');
const picker = $('#node-picker');

async function graphql(query, variables, operationName) {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
    },
    body: JSON.stringify({ query, variables, operationName }),
  });
  const body = await response.json().catch(() => null);
  if (body?.errors?.length) throw new Error(body.errors.map((error) => error.message).join('; '));
  if (!response.ok || !body?.data) throw new Error(`the API answered HTTP ${response.status}`);
  return body.data;
}

// Labels keep one size on screen: their model size follows the zoom (explorer-labels.js).
const perZoom = (px) => () => px / cy.zoom();

const cy = cytoscape({
  container: graph,
  minZoom: 0.01,
  maxZoom: 4,
  style: [
    {
      selector: 'node',
      style: {
        'background-color': '#94a3b8',
        width: 'data(size)',
        height: 'data(size)',
        label: '',
        color: '#0f172a',
        'font-family': LABEL_FONT_FAMILY,
        'text-valign': 'bottom',
        'text-wrap': 'none',
        'text-outline-color': '#f8fafc',
        'text-events': 'no',
      },
    },
    // Selectors, not functions: a function is called for every node on every restyle.
    ...Object.entries(KINDS).map(([kind, { colour, shape }]) => ({
      selector: `node[kind = "${kind}"]`,
      style: { 'background-color': colour, shape },
    })),
    {
      selector: 'node.labelled',
      style: {
        label: 'data(shortLabel)',
        'font-size': perZoom(LABEL_PX),
        'text-margin-y': perZoom(LABEL_GAP_PX),
        'text-outline-width': perZoom(2),
      },
    },
    // Labels go on the side placeLabels chose (below unless said otherwise).
    {
      selector: 'node.labelled[labelSide = "above"]',
      style: { 'text-valign': 'top', 'text-margin-y': perZoom(-LABEL_GAP_PX) },
    },
    {
      selector: 'node.labelled[labelSide = "right"]',
      style: {
        'text-valign': 'center',
        'text-halign': 'right',
        'text-margin-x': perZoom(LABEL_GAP_PX),
        'text-margin-y': 0,
      },
    },
    {
      selector: 'node.labelled[labelSide = "left"]',
      style: {
        'text-valign': 'center',
        'text-halign': 'left',
        'text-margin-x': perZoom(-LABEL_GAP_PX),
        'text-margin-y': 0,
      },
    },
    {
      selector: 'node[?center]',
      style: { 'border-width': 4, 'border-color': '#0f172a', 'font-weight': 'bold' },
    },
    {
      selector: 'edge',
      style: { width: 'data(width)', 'line-color': '#cbd5e1', 'curve-style': 'haystack' },
    },
    { selector: 'edge.minor', style: { display: 'none' } },
    { selector: 'edge.near, edge.on-path', style: { display: 'element' } },
    { selector: 'edge.near', style: { 'line-color': '#64748b' } },
    { selector: '.faded', style: { opacity: 0.15 } },
    {
      selector: 'node:selected',
      style: { 'border-width': 4, 'border-color': '#dc2626', 'border-style': 'double' },
    },
    { selector: 'node.on-path', style: { 'border-width': 4, 'border-color': '#dc2626' } },
    {
      selector: 'edge.on-path',
      style: { width: 6, 'line-color': '#dc2626', 'z-index': 10 },
    },
  ],
});
// Exposed so the browser tests (and anyone in devtools) can inspect what is drawn.
window.cy = cy;
// Cytoscape measures its container once; the panel and the header can change its size.
new ResizeObserver(() => cy.resize()).observe(graph);
// The last load's request, layout and first-frame times (ms), read by the browser tests.
window.explorerTimings = {};

// ---- what is asked: the URL is the state -------------------------------------------------

function readState() {
  const params = new URLSearchParams(window.location.search);
  const number = (name) => Number.parseInt(params.get(name) ?? '', 10) || DEFAULTS[name];
  const kinds = (params.get('kinds') ?? '')
    .split(',')
    .map((kind) => kind.trim().toUpperCase())
    .filter((kind) => KINDS[kind]);
  return {
    center: params.get('center') || null,
    depth: Math.min(3, Math.max(1, number('depth'))),
    view: VIEW_KIND[params.get('view')?.toUpperCase()] ? params.get('view').toUpperCase() : 'FULL',
    kinds: kinds.length === KIND_ORDER.length ? [] : kinds,
    limit: number('limit'),
  };
}

let state = readState();

function writeState(next) {
  state = next;
  const params = new URLSearchParams();
  if (state.center) params.set('center', state.center);
  params.set('depth', state.depth);
  if (state.view !== DEFAULTS.view) params.set('view', state.view);
  if (state.view === 'FULL' && state.kinds.length) params.set('kinds', state.kinds.join(','));
  if (state.limit !== DEFAULTS.limit) params.set('limit', state.limit);
  const url = new URL(window.location.href);
  url.search = params.toString();
  window.history.replaceState(null, '', url);
  showControls();
}

function showControls() {
  for (const input of document.querySelectorAll('input[name="depth"]')) {
    input.checked = Number(input.value) === state.depth;
  }
  $('#view').value = state.view;
  const centreKind = cy.getElementById(state.center ?? '').data('kind');
  for (const option of $('#view').options) {
    const needs = VIEW_KIND[option.value];
    option.disabled = Boolean(needs && centreKind && needs !== centreKind);
  }
  for (const input of document.querySelectorAll('input[name="kind"]')) {
    input.checked = state.kinds.length === 0 || state.kinds.includes(input.value);
    input.disabled = state.view !== 'FULL';
  }
  const limit = $('#limit');
  if (![...limit.options].some((option) => Number(option.value) === state.limit)) {
    limit.add(new Option(String(state.limit), String(state.limit)));
  }
  limit.value = String(state.limit);
}

// What explore is asked around a centre: the page's view, and its kinds in the full view
// (the only one that takes them).
function exploreVariables(center, depth) {
  const kinds = state.view === 'FULL' && state.kinds.length ? { kinds: state.kinds } : {};
  return { center, depth, limit: state.limit, view: state.view, ...kinds };
}

function setState(name, message) {
  graph.dataset.state = name;
  status.textContent = message;
}

// ---- what is drawn -----------------------------------------------------------------------

// A weight only means something beside others of its kind, so sizes are scaled to the kind's max.
function scale(weight, max, [smallest, largest]) {
  return max > 0
    ? smallest + (largest - smallest) * Math.sqrt(Math.max(weight, 0) / max)
    : smallest;
}

function maxWeightByKind(nodes) {
  const max = {};
  for (const node of nodes) max[node.kind] = Math.max(max[node.kind] ?? 0, node.weight);
  return max;
}

function edgeId(edge) {
  return `${edge.source}|${edge.kind}|${edge.target}`;
}

// Nodes and edges not drawn yet, sized by their weight within the answer; an edge to a node
// left out would make cytoscape throw, and parallel edges of one kind would draw on top of
// each other.
function newElements(subgraph) {
  const maxNode = maxWeightByKind(subgraph.nodes);
  const maxEdge = Math.max(0, ...subgraph.edges.map((edge) => edge.weight));
  // Ids in sets: a getElementById per element makes a collection each (garbage at 10,000s).
  const drawnNodes = new Set(cy.nodes().map((node) => node.id()));
  const drawnEdges = new Set(cy.edges().map((edge) => edge.id()));
  const nodes = subgraph.nodes
    .filter((node) => !drawnNodes.has(node.id))
    .map((node) => {
      const fitted = fitLabel(node.label, node.id === state.center);
      return {
        group: 'nodes',
        data: {
          ...node,
          center: node.id === state.center,
          size: scale(node.weight, maxNode[node.kind], NODE_SIZE),
          shortLabel: fitted.text,
          labelWidth: fitted.width,
        },
      };
    });
  const known = new Set([...drawnNodes, ...nodes.map((node) => node.data.id)]);
  const edges = new Map();
  for (const edge of subgraph.edges) {
    const id = edgeId(edge);
    if (known.has(edge.source) && known.has(edge.target) && !drawnEdges.has(id)) {
      const width = scale(edge.weight, maxEdge, EDGE_WIDTH);
      edges.set(id, { group: 'edges', data: { ...edge, id, width } });
    }
  }
  return [...nodes, ...edges.values()];
}

// Hops from the centre in the drawing (an expanded node's neighbours are further out than the
// answer that brought them says), by node id.
let rings = new Map();

// cy.fit() measures every edge and label too, slow at thousands of edges; the discs suffice.
function fitNodes() {
  cy.resize();
  let [left, top, right, bottom] = [Infinity, Infinity, -Infinity, -Infinity];
  cy.nodes().forEach((node) => {
    const { x, y } = node.position();
    const half = node.data('size') / 2;
    [left, top] = [Math.min(left, x - half), Math.min(top, y - half)];
    [right, bottom] = [Math.max(right, x + half), Math.max(bottom, y + half)];
  });
  if (left > right) return;
  // Labels stick out of the discs: a half label's width beside them, a line above and below.
  const zoom = Math.min(
    FIT_ZOOM_MAX,
    (cy.width() - 2 * FIT_PADDING_X) / Math.max(right - left, 1),
    (cy.height() - 2 * FIT_PADDING_Y) / Math.max(bottom - top, 1),
  );
  cy.viewport({
    zoom,
    pan: {
      x: cy.width() / 2 - (zoom * (left + right)) / 2,
      y: cy.height() / 2 - (zoom * (top + bottom)) / 2,
    },
  });
}

// The node each node hangs under in the layout, by id.
let parents = new Map();
const isTreeEdge = ({ source, target }) =>
  parents.get(source) === target || parents.get(target) === source;

// Draws new elements among those drawn: positions for all, the labels that fit. In a drawing
// of many edges only each node's edge toward the centre shows (the rest on request), since
// drawing every edge of thousands makes each frame slow and the picture a grey disc.
function draw(fresh, { fit }) {
  const isNode = (element) => element.group === 'nodes';
  const nodes = [
    ...cy.nodes().map((node) => node.data()),
    ...fresh.filter(isNode).map((e) => e.data),
  ];
  const edges = [
    ...cy.edges().map((edge) => edge.data()),
    ...fresh.filter((element) => !isNode(element)).map((element) => element.data),
  ];
  const layout = radialLayout(nodes, edges, state.center, KIND_ORDER);
  rings = layout.rings;
  parents = layout.parents;
  const thin = edges.length > MANY_EDGES && !$('#all-edges').checked;
  const minor = (data) => thin && !isTreeEdge(data);
  const side = (id) => labelSide(layout.positions.get(id));
  for (const element of fresh) {
    if (isNode(element)) {
      element.position = layout.positions.get(element.data.id);
      element.data.side = side(element.data.id);
    } else {
      element.classes = minor(element.data) ? 'minor' : '';
    }
  }
  cy.batch(() => {
    cy.nodes().forEach((node) => {
      node.position(layout.positions.get(node.id()));
      if (node.data('side') !== side(node.id())) node.data('side', side(node.id()));
    });
    cy.edges().forEach((edge) => {
      if (edge.hasClass('minor') !== minor(edge.data())) edge.toggleClass('minor');
    });
    cy.add(fresh);
  });
  $('#all-edges').disabled = edges.length <= MANY_EDGES;
  if (fit) fitNodes();
  rankForLabels();
  placeLabels();
  fillPicker();
}

function edgesShown() {
  const total = cy.edges().length;
  const hidden = cy.edges('.minor').length;
  if (!hidden) return `${total} edges`;
  return (
    `${total - hidden} of ${total} edges (each node's edge toward the centre; ` +
    'a selected node shows all of its own; tick "All edges" for every one)'
  );
}

// Label priority: the centre, the nodes of a path, then the strongest of each kind, nearest first.
let labelOrder = [];
function rankForLabels() {
  const maxNode = maxWeightByKind(cy.nodes().map((node) => node.data()));
  const strength = (node) => {
    const data = node.data();
    if (data.center) return 3;
    if (node.hasClass('on-path') || node.selected()) return 2;
    return maxNode[data.kind] > 0 ? data.weight / maxNode[data.kind] : 0;
  };
  labelOrder = cy
    .nodes()
    .map((node) => ({ node, strength: strength(node), hop: rings.get(node.id()) }))
    .sort(
      (a, b) => b.strength - a.strength || a.hop - b.hop || (a.node.id() < b.node.id() ? -1 : 1),
    )
    .map(({ node }) => node);
}

function placeLabels() {
  const zoom = cy.zoom();
  const chosen = labelsAt(
    labelOrder.map((node) => ({
      id: node.id(),
      ...node.position(),
      size: node.data('size'),
      width: node.data('labelWidth'),
      side: node.data('side'),
    })),
    zoom,
  );
  const before = cy.nodes('.labelled');
  cy.batch(() => {
    before.filter((node) => !chosen.has(node.id())).removeClass('labelled');
    for (const node of labelOrder) {
      const side = chosen.get(node.id());
      if (!side) continue;
      if (node.data('labelSide') !== side) node.data('labelSide', side);
      node.addClass('labelled');
    }
  });
  // The labels that stayed need their model size for the new zoom.
  cy.nodes('.labelled').updateStyle();
  graph.dataset.labelled = String(chosen.size);
  graph.dataset.labelZoom = String(zoom);
}

let labelTimer;
cy.on('zoom', () => {
  clearTimeout(labelTimer);
  labelTimer = setTimeout(placeLabels, LABEL_DELAY_MS);
});

const rendered = () =>
  new Promise((resolve) => {
    cy.one('render', resolve);
  });

function summary(subgraph) {
  const hops = state.depth === 1 ? '1 hop' : `${state.depth} hops`;
  const cut = subgraph.truncated ? ` (cut at ${state.limit} nodes)` : '';
  return (
    `${cy.nodes().length} nodes, ${edgesShown()} within ${hops}${cut}. ` +
    'Click a node (or pick it in the list) for details; zoom in for more labels.'
  );
}

let loading = 0;
async function load() {
  const request = ++loading;
  const { center } = state;
  $('#prompt').hidden = true;
  heading.textContent = `Loading ${center}…`;
  setState('loading', `Loading the neighbourhood of ${center}…`);
  const started = performance.now();
  try {
    const { explore: subgraph } = await graphql(
      EXPLORE_QUERY,
      exploreVariables(center, state.depth),
      'Explore',
    );
    if (request !== loading) return;
    const answered = performance.now();
    // The API names the centre by its short id, whichever form of it was asked for.
    if (subgraph.center !== state.center) writeState({ ...state, center: subgraph.center });
    clearSelection();
    cy.elements().remove();
    const drawn = rendered();
    draw(newElements(subgraph), { fit: true });
    const laidOut = performance.now();
    await drawn;
    if (request !== loading) return;
    window.explorerTimings = {
      requestMs: answered - started,
      layoutMs: laidOut - answered,
      firstRenderMs: performance.now() - answered,
    };
    const label = cy.getElementById(subgraph.center).data('label') ?? subgraph.center;
    const kind = KINDS[cy.getElementById(subgraph.center).data('kind')]?.name ?? '';
    heading.textContent = label;
    heading.dataset.kind = kind;
    document.title = `${label} · Research Graph explorer`;
    showControls();
    setState('ready', summary(subgraph));
  } catch (error) {
    if (request !== loading) return;
    cy.elements().remove();
    fillPicker();
    heading.textContent = `Could not open ${center}`;
    setState('error', `Could not load ${center}: ${error.message}`);
  }
}

// Adds a node's own neighbourhood (one hop) to the drawing.
async function expand(id) {
  setState('loading', `Expanding ${cy.getElementById(id).data('label')}…`);
  try {
    const { explore: subgraph } = await graphql(EXPLORE_QUERY, exploreVariables(id, 1), 'Explore');
    const added = newElements(subgraph);
    // Its new neighbours go on the rim, possibly out of view.
    draw(added, { fit: true });
    const nodes = added.filter((element) => element.group === 'nodes').length;
    setState('ready', `Expanded: ${nodes} new nodes. ${summary({ truncated: false })}`);
  } catch (error) {
    setState('error', `Could not expand ${id}: ${error.message}`);
  }
}

// ---- path between two nodes --------------------------------------------------------------

let pathStart = null;

async function showPath(from, to) {
  pathStart = null;
  setState('loading', 'Looking for a path…');
  try {
    const { path } = await graphql(PAGE_QUERIES, { from, to, maxDepth: PATH_MAX_DEPTH }, 'Path');
    clearPath();
    if (!path) {
      showPathInfo(`No path within ${PATH_MAX_DEPTH} hops.`);
      setState('ready', `No path within ${PATH_MAX_DEPTH} hops between these two nodes.`);
      return;
    }
    draw(newElements(path), { fit: false });
    const onPath = cy.collection();
    for (const node of path.nodes) onPath.merge(cy.getElementById(node.id));
    for (const edge of path.edges) onPath.merge(cy.getElementById(edgeId(edge)));
    cy.batch(() => {
      cy.elements().addClass('faded');
      onPath.removeClass('faded').addClass('on-path');
    });
    rankForLabels();
    placeLabels();
    const names = path.nodes.map((node) => node.label).join(' → ');
    const hops = path.edges.length;
    showPathInfo(`Path (${hops} ${hops === 1 ? 'hop' : 'hops'}): ${names}`);
    setState('ready', `Path of ${hops} hops highlighted.`);
  } catch (error) {
    setState('error', `Could not find a path: ${error.message}`);
  }
}

function showPathInfo(text) {
  $('#path-text').textContent = text;
  $('#path-info').hidden = false;
}

function clearPath() {
  cy.elements().removeClass('faded on-path');
  $('#path-info').hidden = true;
}

// ---- side panel --------------------------------------------------------------------------

let selected = null;
let detailsRequest = 0;

function select(id) {
  const node = cy.getElementById(id);
  if (node.empty()) return;
  if (pathStart && pathStart !== id) {
    showPath(pathStart, id);
  }
  selected = id;
  cy.nodes(':selected').unselect();
  cy.edges('.near').removeClass('near');
  node.select();
  node.connectedEdges().addClass('near');
  picker.value = id;
  const data = node.data();
  $('#details').hidden = false;
  $('#panel-kind').textContent = KINDS[data.kind]?.name ?? data.kind;
  $('#panel-kind').style.setProperty('--colour', KINDS[data.kind]?.colour ?? '#64748b');
  $('#panel-heading').textContent = data.label;
  facts([
    ['Id', data.id],
    ['Hops from the centre', rings.get(data.id)],
  ]);
  const profile = $('#open-profile');
  profile.hidden = data.kind !== 'RESEARCHER';
  profile.href = `/researchers/${encodeURIComponent(data.id)}`;
  $('#recentre').disabled = data.id === state.center;
  loadDetails(data);
}

function clearSelection() {
  selected = null;
  cy.nodes(':selected').unselect();
  cy.edges('.near').removeClass('near');
  $('#details').hidden = true;
  picker.value = '';
}

function facts(rows) {
  $('#panel-facts').replaceChildren(
    ...rows
      .filter(([, value]) => value !== null && value !== undefined && value !== '')
      .flatMap(([term, value]) => {
        const dt = document.createElement('dt');
        dt.textContent = term;
        const dd = document.createElement('dd');
        dd.textContent = String(value);
        return [dt, dd];
      }),
  );
}

async function loadDetails(data) {
  const request = ++detailsRequest;
  try {
    const { node } = await graphql(PAGE_QUERIES, { id: data.id }, 'NodeDetails');
    if (request !== detailsRequest || !node) return;
    const common = [
      ['Id', data.id],
      ['Hops from the centre', rings.get(data.id)],
    ];
    const byKind = {
      Researcher: () => [
        ['Works', node.stats.works],
        ['Citations', node.stats.citations],
        ['h-index', node.stats.hIndex],
        ['Affiliation', node.affiliations.map((a) => a.institution.name).join('; ')],
      ],
      Work: () => [
        ['Year', node.year],
        ['Type', node.type],
        ['Venue', node.venue],
        ['Citations', node.citations],
      ],
      Topic: () => [
        ['Level', node.level],
        ['Within', node.parent?.name],
      ],
      Institution: () => [
        ['Country', node.country],
        ['Type', node.institutionType],
      ],
    };
    facts([...(byKind[node.__typename]?.() ?? []), ...common]);
  } catch (error) {
    if (request === detailsRequest) setState('error', `Could not load details: ${error.message}`);
  }
}

function fillPicker() {
  const nodes = cy
    .nodes()
    .map((node) => node.data())
    .sort(
      (a, b) =>
        KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.label.localeCompare(b.label),
    );
  picker.replaceChildren(
    new Option('Pick a node…', ''),
    ...nodes.map((data) => new Option(`${KINDS[data.kind]?.name}: ${data.label}`, data.id)),
  );
  picker.disabled = nodes.length === 0;
  for (const button of document.querySelectorAll('#toolbar button')) {
    button.disabled = nodes.length === 0;
  }
  picker.value = selected && !cy.getElementById(selected).empty() ? selected : '';
}

cy.on('tap', 'node', (event) => select(event.target.id()));
cy.on('tap', (event) => {
  if (event.target === cy) clearSelection();
});
picker.addEventListener('change', () => {
  if (picker.value) select(picker.value);
  else clearSelection();
});
$('#recentre').addEventListener('click', () => {
  if (!selected) return;
  // A view needs a centre of its kind; another kind of centre opens the full graph.
  const view =
    VIEW_KIND[state.view] === cy.getElementById(selected).data('kind') ? state.view : 'FULL';
  writeState({ ...state, center: selected, view });
  load();
});
$('#expand').addEventListener('click', () => selected && expand(selected));
$('#path-from').addEventListener('click', () => {
  if (!selected) return;
  pathStart = selected;
  setState('ready', 'Now pick the other end of the path: click a node or choose it in the list.');
});
$('#path-clear').addEventListener('click', clearPath);

// ---- controls ----------------------------------------------------------------------------

function reloadWith(change) {
  writeState({ ...state, ...change });
  if (state.center) load();
}

$('#depth').addEventListener('change', (event) =>
  reloadWith({ depth: Number(event.target.value) }),
);
$('#view').addEventListener('change', (event) => reloadWith({ view: event.target.value }));
$('#limit').addEventListener('change', (event) =>
  reloadWith({ limit: Number(event.target.value) }),
);
$('#kinds').addEventListener('change', (event) => {
  const checked = [...document.querySelectorAll('input[name="kind"]:checked')].map((i) => i.value);
  if (checked.length === 0) {
    // The API refuses an empty list; with nothing ticked there would be nothing to draw.
    event.target.checked = true;
    status.textContent = 'At least one kind must stay ticked.';
    return;
  }
  reloadWith({ kinds: checked.length === KIND_ORDER.length ? [] : checked });
});
$('#controls').addEventListener('submit', (event) => event.preventDefault());

$('#kinds').append(
  ...KIND_ORDER.map((kind) => {
    const label = document.createElement('label');
    const input = document.createElement('input');
    input.type = 'checkbox';
    input.name = 'kind';
    input.value = kind;
    label.append(input, KINDS[kind].name);
    return label;
  }),
);
$('#legend').replaceChildren(
  ...Object.values(KINDS).map(({ name, colour, shape }) => {
    const item = document.createElement('li');
    item.style.setProperty('--colour', colour);
    item.dataset.shape = shape;
    item.textContent = name;
    return item;
  }),
);

// ---- export ------------------------------------------------------------------------------

function download(blob, name) {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

const fileStem = () => `neighbourhood-${state.center.replace(/[^\w.-]/g, '-')}-depth${state.depth}`;

$('#export-png').addEventListener('click', () => {
  if (cy.nodes().empty()) return;
  const blob = cy.png({
    output: 'blob',
    bg: '#ffffff',
    full: true,
    maxWidth: 4000,
    maxHeight: 4000,
  });
  download(blob, `${fileStem()}.png`);
});
$('#export-graphml').addEventListener('click', () => {
  if (cy.nodes().empty()) return;
  const text = graphml({
    center: state.center,
    depth: state.depth,
    nodes: cy.nodes().map((node) => ({ ...node.data(), hop: rings.get(node.id()) })),
    edges: cy.edges().map((edge) => edge.data()),
  });
  download(new Blob([text], { type: 'application/graphml+xml' }), `${fileStem()}.graphml`);
});
$('#fit').addEventListener('click', fitNodes);
$('#all-edges').addEventListener('change', () => {
  draw([], { fit: false });
  status.textContent = `${cy.nodes().length} nodes, ${edgesShown()}.`;
});

// ---- search and the start prompt ---------------------------------------------------------

function resultLabel(node) {
  if (node.__typename === 'Work') return node.year ? `${node.title} (${node.year})` : node.title;
  return node.name ?? node.id;
}

function kindBadge(kindName) {
  const kind = KINDS[kindName.toUpperCase()];
  const badge = document.createElement('span');
  badge.className = 'kind';
  badge.style.setProperty('--colour', kind?.colour ?? '#64748b');
  badge.textContent = kind?.name ?? kindName;
  return badge;
}

function open(id) {
  results.hidden = true;
  // A view needs a centre of its kind; a search can land on any kind.
  writeState({ ...state, center: id, view: 'FULL' });
  load();
}

function showResults(nodes) {
  results.replaceChildren(
    ...nodes.map((node) => {
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.id = node.id;
      button.append(kindBadge(node.__typename), resultLabel(node));
      button.addEventListener('click', () => open(node.id));
      item.append(button);
      return item;
    }),
  );
  if (nodes.length === 0) {
    const item = document.createElement('li');
    item.className = 'empty';
    item.textContent = 'Nothing found';
    results.append(item);
  }
  results.hidden = false;
}

let searching = 0;
let searchTimer;
async function search(text) {
  const request = ++searching;
  try {
    const data = await graphql(SEARCH_QUERY, { query: text, first: SEARCH_RESULTS });
    if (request === searching) showResults(data.search.nodes);
  } catch (error) {
    if (request === searching) setState('error', `Search failed: ${error.message}`);
  }
}

queryInput.addEventListener('input', () => {
  clearTimeout(searchTimer);
  const text = queryInput.value.trim();
  if (!text) {
    searching++;
    results.hidden = true;
    return;
  }
  searchTimer = setTimeout(() => search(text), SEARCH_DELAY_MS);
});
// Enter takes the first result, as in most search boxes.
$('#search').addEventListener('submit', (event) => {
  event.preventDefault();
  results.querySelector('button')?.click();
});
queryInput.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') results.hidden = true;
});
document.addEventListener('click', (event) => {
  if (!$('#search').contains(event.target)) results.hidden = true;
});

async function showPrompt() {
  $('#prompt').hidden = false;
  setState('empty', 'Search for a name, or pick a suggestion.');
  try {
    const { researchers } = await graphql(
      PAGE_QUERIES,
      { first: SUGGESTIONS },
      'ExplorerSuggestions',
    );
    $('#suggestions').replaceChildren(
      ...researchers.edges.map(({ works, node }) => {
        const item = document.createElement('li');
        const button = document.createElement('button');
        button.type = 'button';
        button.dataset.id = node.id;
        button.append(kindBadge('Researcher'), `${node.name} (${works} works)`);
        button.addEventListener('click', () => open(node.id));
        item.append(button);
        return item;
      }),
    );
  } catch (error) {
    setState('error', `Could not load suggestions: ${error.message}`);
  }
}

// ---- start -------------------------------------------------------------------------------

writeState(state);
if (state.center) load();
else showPrompt();
