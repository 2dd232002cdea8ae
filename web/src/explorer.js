// The explorer page: search a node, draw its neighbourhood, click a node to re-centre on it.
// It talks to the public GraphQL API only, with the same queries a client would send.
import cytoscape from 'cytoscape';

import EXPLORE_QUERY from '../queries/explorer.graphql';
import SEARCH_QUERY from '../queries/search.graphql';
import './explorer.css';

const KINDS = {
  RESEARCHER: { name: 'Researcher', colour: '#2563eb' },
  WORK: { name: 'Work', colour: '#f59e0b' },
  TOPIC: { name: 'Topic', colour: '#10b981' },
  INSTITUTION: { name: 'Institution', colour: '#a855f7' },
};
const NODE_LIMIT = 200;
const SEARCH_RESULTS = 10;
const SEARCH_DELAY_MS = 200;
const FIT_ZOOM_MAX = 1.5;

const $ = (selector) => document.querySelector(selector);
const graph = $('#graph');
const status = $('#status');
const queryInput = $('#query');
const results = $('#results');

async function graphql(query, variables) {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json().catch(() => null);
  if (body?.errors?.length) throw new Error(body.errors.map((error) => error.message).join('; '));
  if (!response.ok || !body?.data) throw new Error(`the API answered HTTP ${response.status}`);
  return body.data;
}

const cy = cytoscape({
  container: graph,
  minZoom: 0.2,
  maxZoom: 3,
  style: [
    {
      selector: 'node',
      style: {
        'background-color': (node) => KINDS[node.data('kind')]?.colour ?? '#94a3b8',
        width: 'data(size)',
        height: 'data(size)',
        label: 'data(label)',
        'font-size': 10,
        'text-valign': 'bottom',
        'text-margin-y': 3,
        'text-wrap': 'ellipsis',
        'text-max-width': '140px',
        'text-outline-color': '#f8fafc',
        'text-outline-width': 2,
        // Labels of a few hundred nodes are noise when zoomed out; they appear on zooming in.
        'min-zoomed-font-size': 7,
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
  ],
});
// Exposed so the browser tests (and anyone in devtools) can inspect what is drawn.
window.cy = cy;
cy.on('tap', 'node', (event) => explore(event.target.id()));

function depth() {
  return Number(document.querySelector('input[name="depth"]:checked').value);
}

function setState(state, message) {
  graph.dataset.state = state;
  status.textContent = message;
}

// A weight only means something relative to the others in view, so sizes are scaled to the max.
function scale(weight, max, smallest, largest) {
  return max > 0 ? smallest + (largest - smallest) * Math.sqrt(Math.max(weight, 0) / max) : smallest;
}

function elements(subgraph) {
  const maxNode = Math.max(0, ...subgraph.nodes.map((node) => node.weight));
  const maxEdge = Math.max(0, ...subgraph.edges.map((edge) => edge.weight));
  const ids = new Set(subgraph.nodes.map((node) => node.id));
  const nodes = subgraph.nodes.map((node) => ({
    data: { ...node, size: scale(node.weight, maxNode, 18, 60), center: node.id === subgraph.center },
  }));
  // An edge to a node the limit left out would make cytoscape throw; parallel edges of one kind
  // would draw on top of each other.
  const edges = new Map();
  for (const edge of subgraph.edges) {
    const id = `${edge.source}|${edge.kind}|${edge.target}`;
    if (ids.has(edge.source) && ids.has(edge.target) && !edges.has(id)) {
      edges.set(id, { data: { ...edge, id, width: scale(edge.weight, maxEdge, 1, 4) } });
    }
  }
  return [...nodes, ...edges.values()];
}

let exploring = 0;
async function explore(center) {
  const request = ++exploring;
  const hops = depth();
  setState('loading', `Loading the neighbourhood of ${center}…`);
  const url = new URL(window.location.href);
  url.search = new URLSearchParams({ center, depth: hops });
  window.history.replaceState(null, '', url);
  try {
    const { explore: subgraph } = await graphql(EXPLORE_QUERY, {
      center,
      depth: hops,
      limit: NODE_LIMIT,
    });
    if (request !== exploring) return;
    cy.batch(() => {
      cy.elements().remove();
      cy.add(elements(subgraph));
    });
    // Rings by hop: the centre in the middle, its direct neighbours around it, and so on.
    cy.layout({
      name: 'concentric',
      concentric: (node) => subgraph.depth - node.data('hop'),
      levelWidth: () => 1,
      minNodeSpacing: 30,
      animate: false,
    }).run();
    // Fitting a handful of nodes to the screen would blow them up to giant discs.
    if (cy.zoom() > FIT_ZOOM_MAX) {
      cy.zoom(FIT_ZOOM_MAX);
      cy.center();
    }
    const label = cy.getElementById(subgraph.center).data('label') ?? subgraph.center;
    queryInput.value = label;
    const hopsText = subgraph.depth === 1 ? '1 hop' : `${subgraph.depth} hops`;
    const truncated = subgraph.truncated ? ` (cut at ${NODE_LIMIT} nodes)` : '';
    setState(
      'ready',
      `${label}: ${cy.nodes().length} nodes, ${cy.edges().length} edges within ${hopsText}` +
        `${truncated}. Click a node to re-centre on it.`,
    );
  } catch (error) {
    if (request === exploring) setState('error', `Could not load ${center}: ${error.message}`);
  }
}

function resultLabel(node) {
  if (node.__typename === 'Work') return node.year ? `${node.title} (${node.year})` : node.title;
  return node.name ?? node.id;
}

function showResults(nodes) {
  results.replaceChildren(
    ...nodes.map((node) => {
      const kind = KINDS[node.__typename.toUpperCase()];
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.id = node.id;
      const badge = document.createElement('span');
      badge.className = 'kind';
      badge.style.setProperty('--colour', kind?.colour ?? '#64748b');
      badge.textContent = kind?.name ?? node.__typename;
      button.append(badge, resultLabel(node));
      button.addEventListener('click', () => pick(node));
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

function pick(node) {
  results.hidden = true;
  explore(node.id);
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
$('#depth').addEventListener('change', () => {
  const center = new URLSearchParams(window.location.search).get('center');
  if (center) explore(center);
});

$('#legend').replaceChildren(
  ...Object.values(KINDS).map(({ name, colour }) => {
    const item = document.createElement('li');
    item.style.setProperty('--colour', colour);
    item.textContent = name;
    return item;
  }),
);

// A link such as /explorer?center=A925533110232&depth=3 opens straight on that neighbourhood.
const linked = new URLSearchParams(window.location.search);
if (linked.get('center')) {
  for (const input of document.querySelectorAll('input[name="depth"]')) {
    if (input.value === linked.get('depth')) input.checked = true;
  }
  explore(linked.get('center'));
}
