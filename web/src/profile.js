// A researcher's profile page (/researchers/{id}): the whole page from one GraphQL request
// (ResearcherPage), then the next pages of works, signing in, following, claiming and inviting,
// each one request. It talks to the public GraphQL API only. Every value from the API goes into
// the page as text (textContent, attributes), never as markup.
import DOCUMENT from '../queries/researcher-page.graphql';
import './profile.css';

const SVG = 'http://www.w3.org/2000/svg';
const SESSION_KEY = 'researchgraph.session';
const WORKS_PAGE = { default: 10, min: 1, max: 100 };
const EXPLORER_DEPTH = 2;
const KINDS = {
  RESEARCHER: { name: 'Researcher', colour: '#2563eb' },
  WORK: { name: 'Work', colour: '#f59e0b' },
  TOPIC: { name: 'Topic', colour: '#10b981' },
  INSTITUTION: { name: 'Institution', colour: '#a855f7' },
};
const CLAIM_STATES = {
  UNCLAIMED: 'Unclaimed author',
  PENDING: 'Claim pending',
  CLAIMED: 'Claimed author',
};
// The slice's text: 12 px labels need about this many px a character (system-ui).
const LABEL_PX = 12;
const CHAR_PX = 6.6;

const $ = (selector) => document.querySelector(selector);
const researcherId = decodeURIComponent(window.location.pathname.split('/').pop());
const params = new URLSearchParams(window.location.search);
const worksPage = clamp(Number(params.get('works')) || WORKS_PAGE.default, WORKS_PAGE);

// What the page shows: the researcher as the API answered, and who is signed in.
const state = { researcher: null, viewer: null, works: [], pageInfo: null, afterSignIn: null };

function clamp(value, { min, max }) {
  return Math.min(max, Math.max(min, Math.trunc(value)));
}

function element(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

function svg(tag, attributes = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = String(text);
  return node;
}

function setText(selector, text) {
  $(selector).textContent = text;
}

// --- the API -------------------------------------------------------------------------------

class ApiError extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

function session() {
  try {
    const stored = JSON.parse(window.localStorage.getItem(SESSION_KEY));
    if (stored?.token && Date.parse(stored.expiresAt) > Date.now()) return stored;
  } catch {
    // A damaged entry is no session.
  }
  window.localStorage.removeItem(SESSION_KEY);
  return null;
}

async function graphql(operationName, variables) {
  const headers = {
    'content-type': 'application/json',
    accept: 'application/graphql-response+json, application/json',
  };
  const signedIn = session();
  if (signedIn) headers.authorization = `Bearer ${signedIn.token}`;
  const response = await fetch('/graphql', {
    method: 'POST',
    headers,
    body: JSON.stringify({ query: DOCUMENT, operationName, variables }),
  });
  const body = await response.json().catch(() => null);
  const error = body?.errors?.[0];
  if (error) throw new ApiError(error.message, error.extensions?.code);
  if (!response.ok || !body?.data) throw new ApiError(`the API answered HTTP ${response.status}`);
  return body.data;
}

// --- loading -------------------------------------------------------------------------------

async function load() {
  let data;
  try {
    data = await graphql('ResearcherPage', { id: researcherId, first: worksPage });
  } catch (error) {
    if (error.code !== 'UNAUTHENTICATED' || !session()) throw error;
    // The stored sign-in no longer works (a new server key, say): carry on signed out.
    window.localStorage.removeItem(SESSION_KEY);
    data = await graphql('ResearcherPage', { id: researcherId, first: worksPage });
  }
  if (!data.researcher) throw new ApiError(`no researcher ${researcherId} in the graph`, 'NOT_FOUND');
  state.researcher = data.researcher;
  state.viewer = data.viewer;
  state.works = data.researcher.works.nodes;
  state.pageInfo = data.researcher.works.pageInfo;
  render();
}

function render() {
  const main = $('#main');
  // Shown first: the slice is laid out for the width its section gets.
  for (const section of main.querySelectorAll('section')) section.hidden = false;
  $('#by-year').hidden = state.researcher.countsByYear.length === 0;
  renderIdentity();
  renderStanding();
  renderSlice();
  renderWorks();
  renderYears();
  $('#status').textContent = '';
  $('#status').hidden = true;
  main.dataset.state = 'ready';
  main.removeAttribute('aria-busy');
}

function showFailure(error) {
  const main = $('#main');
  main.dataset.state = 'error';
  main.removeAttribute('aria-busy');
  $('#status').textContent = `The profile could not be loaded: ${error.message}.`;
}

// --- identity, trust, follow, claim, collaboration ----------------------------------------

function describe(researcher) {
  if (researcher.bio) return researcher.bio;
  const topics = researcher.topics.map((share) => share.topic.name);
  if (topics.length === 0) return `${researcher.name} has works in the research graph.`;
  const listed =
    topics.length === 1 ? topics[0] : `${topics.slice(0, -1).join(', ')} and ${topics.at(-1)}`;
  return `${researcher.name} works on ${listed}.`;
}

function renderIdentity() {
  const researcher = state.researcher;
  document.title = `${researcher.name} · Research Graph`;
  setText('#name', researcher.name);
  setText('#description', describe(researcher));
  const institutions = researcher.affiliations.map((affiliation) => affiliation.institution.name);
  setText('#affiliation', institutions.length ? institutions.join(' · ') : 'Affiliation not imported');
  $('#open-to-collaborate').hidden = !researcher.openToCollaborate;
  setText('#count-works', researcher.stats.works);
  setText('#count-topics', researcher.stats.topics);
  setText('#count-collaborators', researcher.stats.closeCollaborators);
}

const viewerClaimed = () =>
  Boolean(state.viewer?.claims?.some((claimed) => claimed.id === state.researcher.id));

// The parts following and claiming change: trust, follow, claim and collaboration.
function renderStanding() {
  const researcher = state.researcher;
  const signedIn = Boolean(state.viewer);
  setText('#trust-label', researcher.trust.label);
  setText('#verification', `Verification ${researcher.trust.verification}`);
  setText('#claim-state', CLAIM_STATES[researcher.claimStatus]);
  setText('#count-followers', researcher.stats.followers);
  const rows = researcher.trust.signals.map((signal) => {
    const row = element('tr');
    row.append(element('th', signal.name, { scope: 'row' }), element('td', signal.value));
    row.append(element('td', signal.points));
    return row;
  });
  $('#signals tbody').replaceChildren(...rows);

  setText('#signed-in-as', signedIn ? `Signed in as ${state.viewer.name}` : '');
  $('#signed-in-as').hidden = !signedIn;
  $('#sign-in').hidden = signedIn;
  $('#sign-out').hidden = !signedIn;

  const follow = $('#follow');
  follow.setAttribute('aria-pressed', String(Boolean(researcher.viewerFollows)));
  setText('#follow-label', researcher.viewerFollows ? 'Following' : 'Follow researcher');
  setText('#follow-count', researcher.stats.followers);
  follow.setAttribute(
    'aria-label',
    `${researcher.viewerFollows ? 'Following' : 'Follow researcher'}, ${researcher.stats.followers} followers`,
  );

  const claimButton = $('#claim-button');
  const mine = viewerClaimed();
  claimButton.hidden = researcher.claimStatus !== 'UNCLAIMED';
  setText('#claim-button', signedIn ? 'Claim this author record' : 'Log in to claim');
  const claimNotes = {
    UNCLAIMED: '',
    PENDING: mine
      ? 'Your claim is pending: an administrator reviews it.'
      : 'A claim of this record is pending review.',
    CLAIMED: mine ? 'You have claimed this record.' : 'This record is claimed by its author.',
  };
  setText('#claim-note', claimNotes[researcher.claimStatus]);

  const invitable = researcher.claimStatus === 'CLAIMED' && researcher.openToCollaborate && !mine;
  let locked = '';
  if (researcher.claimStatus !== 'CLAIMED') {
    locked = 'Claim this author entity first to unlock direct invitations.';
  } else if (mine) {
    locked = 'This is your record: invitations to it reach you.';
  } else if (!researcher.openToCollaborate) {
    locked = 'This researcher is not taking invitations right now.';
  }
  setText('#collaboration-locked', locked);
  $('#collaboration-locked').hidden = invitable;
  $('#invite').hidden = !invitable;
}

function mergeStanding(standing) {
  const researcher = state.researcher;
  state.researcher = {
    ...researcher,
    ...standing,
    stats: { ...researcher.stats, ...standing.stats },
  };
  renderStanding();
}

// Runs an action that needs a signed-in user, asking them to sign in first when nobody is.
function signedInThen(why, action) {
  if (state.viewer) return action();
  state.afterSignIn = action;
  openSignIn(why);
  return undefined;
}

async function run(button, note, work) {
  button.disabled = true;
  setText(note, '');
  try {
    await work();
  } catch (error) {
    setText(note, error.message);
  } finally {
    button.disabled = false;
  }
}

$('#follow').addEventListener('click', () =>
  signedInThen('Log in to follow this researcher.', () =>
    run($('#follow'), '#follow-note', async () => {
      const operation = state.researcher.viewerFollows ? 'Unfollow' : 'Follow';
      const data = await graphql(operation, { id: state.researcher.id });
      mergeStanding(data.followResearcher ?? data.unfollowResearcher);
    }),
  ),
);

$('#claim-button').addEventListener('click', () =>
  signedInThen('Log in to claim this author record.', () =>
    run($('#claim-button'), '#claim-note', async () => {
      const data = await graphql('Claim', { id: state.researcher.id });
      state.viewer.claims = [...(state.viewer.claims ?? []), { id: state.researcher.id }];
      mergeStanding(data.claimResearcher);
    }),
  ),
);

$('#invite').addEventListener('submit', (event) => {
  event.preventDefault();
  const message = $('#invite-message').value.trim();
  signedInThen('Log in to send an invitation.', () =>
    run($('#invite button'), '#invite-note', async () => {
      await graphql('Invite', { id: state.researcher.id, message });
      $('#invite').reset();
      setText('#invite-note', 'Invitation sent: the researcher answers from their account.');
    }),
  );
});

// --- signing in ----------------------------------------------------------------------------

const dialog = $('#sign-in-dialog');
let creatingAccount = false;

function setSignInMode(create) {
  creatingAccount = create;
  setText('#sign-in-title', create ? 'Create an account' : 'Log in');
  setText('#sign-in-submit', create ? 'Create account' : 'Log in');
  setText('#sign-in-mode', create ? 'I have an account' : 'Create an account instead');
  $('#name-field').hidden = !create;
  $('#account-name').required = create;
  $('#password').autocomplete = create ? 'new-password' : 'current-password';
}

function openSignIn(why) {
  setSignInMode(false);
  setText('#sign-in-why', why);
  setText('#sign-in-error', '');
  dialog.showModal();
}

$('#sign-in').addEventListener('click', () => {
  state.afterSignIn = null;
  openSignIn('Log in to follow, claim and invite.');
});
$('#sign-in-mode').addEventListener('click', () => setSignInMode(!creatingAccount));
$('#sign-in-cancel').addEventListener('click', () => dialog.close());
dialog.addEventListener('close', () => {
  $('#sign-in-form').reset();
});

$('#sign-in-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const submit = $('#sign-in-submit');
  submit.disabled = true;
  setText('#sign-in-error', '');
  const variables = { email: $('#email').value, password: $('#password').value };
  try {
    const data = creatingAccount
      ? (await graphql('SignUp', { ...variables, name: $('#account-name').value })).signUp
      : (await graphql('LogIn', variables)).logIn;
    const { token, expiresAt, user } = data;
    window.localStorage.setItem(SESSION_KEY, JSON.stringify({ token, expiresAt, name: user.name }));
    dialog.close();
    await load();
    const action = state.afterSignIn;
    state.afterSignIn = null;
    if (action) await action();
  } catch (error) {
    setText('#sign-in-error', error.message);
  } finally {
    submit.disabled = false;
  }
});

$('#sign-out').addEventListener('click', async () => {
  window.localStorage.removeItem(SESSION_KEY);
  await load().catch(showFailure);
  $('#sign-in').focus();
});

// --- the graph slice -----------------------------------------------------------------------

function circularMean(angles) {
  const x = angles.reduce((sum, angle) => sum + Math.cos(angle), 0);
  const y = angles.reduce((sum, angle) => sum + Math.sin(angle), 0);
  return Math.atan2(y, x);
}

// A radial layout: the researcher in the middle, hop 1 on an inner ring, hop 2 on an outer ring
// beside the hop-1 nodes it joins, evenly spaced in that order so no two labels touch.
function layoutSlice(nodes, edges, width) {
  const labelRoom = Math.min(130, width * 0.26);
  const outer = Math.max(60, Math.min(170, width / 2 - labelRoom));
  const inner = outer * 0.5;
  const half = outer + labelRoom;
  const placed = new Map();
  const neighbours = new Map(nodes.map((node) => [node.id, []]));
  for (const edge of edges) {
    neighbours.get(edge.source)?.push(edge.target);
    neighbours.get(edge.target)?.push(edge.source);
  }
  const ring = (hop) => nodes.filter((node) => node.hop === hop);
  for (const node of ring(0)) placed.set(node.id, { node, angle: 0, radius: 0 });
  const first = ring(1);
  first.forEach((node, index) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * index) / first.length;
    placed.set(node.id, { node, angle, radius: inner });
  });
  const second = ring(2).map((node, index, all) => {
    const near = neighbours.get(node.id).filter((id) => placed.get(id)?.radius === inner);
    const wanted = near.length
      ? circularMean(near.map((id) => placed.get(id).angle))
      : (2 * Math.PI * index) / all.length;
    return { node, wanted };
  });
  second.sort((a, b) => a.wanted - b.wanted);
  const step = (2 * Math.PI) / Math.max(1, second.length);
  const offset = circularMean(second.map((entry, index) => entry.wanted - index * step));
  second.forEach((entry, index) => {
    placed.set(entry.node.id, { node: entry.node, angle: offset + index * step, radius: outer });
  });
  const maxChars = Math.max(4, Math.floor((labelRoom - 14) / CHAR_PX));
  return { half, inner, placed, maxChars };
}

function shorten(text, maxChars) {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars - 1)}…`;
}

function nodeHref(node) {
  if (node.kind === 'RESEARCHER') return `/researchers/${encodeURIComponent(node.id)}`;
  return `/explorer?center=${encodeURIComponent(node.id)}&depth=${EXPLORER_DEPTH}`;
}

function renderSlice() {
  const { nodes, edges, truncated } = state.researcher.neighbourhood;
  const container = $('#slice-graph');
  const width = Math.max(300, Math.min(640, container.clientWidth || 640));
  const { half, inner, placed, maxChars } = layoutSlice(nodes, edges, width);
  const at = ({ angle, radius }) => [half + radius * Math.cos(angle), half + radius * Math.sin(angle)];
  const kinds = new Map();
  for (const node of nodes) kinds.set(node.kind, (kinds.get(node.kind) ?? 0) + 1);
  const summary = [...kinds].map(([kind, count]) => `${count} ${KINDS[kind].name.toLowerCase()}`);

  const drawing = svg('svg', {
    viewBox: `0 0 ${2 * half} ${2 * half}`,
    width: 2 * half,
    role: 'group',
    'aria-label': `The research graph around ${state.researcher.name}: ${summary.join(', ')}`,
  });
  const lines = svg('g', { class: 'edges', 'aria-hidden': 'true' });
  for (const edge of edges) {
    const from = placed.get(edge.source);
    const to = placed.get(edge.target);
    if (!from || !to) continue;
    const [x1, y1] = at(from);
    const [x2, y2] = at(to);
    lines.append(svg('line', { x1, y1, x2, y2 }));
  }
  drawing.append(lines);
  // By hop: the tab order runs from the researcher outwards.
  const ordered = [...placed.values()].sort((a, b) => a.node.hop - b.node.hop);
  for (const entry of ordered) {
    const { node, angle, radius } = entry;
    const [x, y] = at(entry);
    const label = `${KINDS[node.kind].name}: ${node.label}`;
    const link = svg('a', {
      href: nodeHref(node),
      'aria-label': label,
      class: 'node',
      'data-id': node.id,
      'data-kind': node.kind,
    });
    link.append(svg('title', {}, label));
    link.append(
      svg('circle', { cx: x, cy: y, r: node.hop === 0 ? 11 : 7, fill: KINDS[node.kind].colour }),
    );
    if (node.hop === 0) {
      // Named in the middle only where the name fits inside the inner ring.
      if (node.label.length * CHAR_PX * 1.2 < 2 * inner - 16) {
        link.append(
          svg('text', { x, y: y + 26, 'text-anchor': 'middle', class: 'centre' }, node.label),
        );
      }
    } else if (node.hop === 2) {
      const degrees = (angle * 180) / Math.PI;
      const right = Math.cos(angle) >= 0;
      const rotate = right ? degrees : degrees + 180;
      const [tx, ty] = at({ angle, radius: radius + 11 });
      link.append(
        svg(
          'text',
          {
            x: tx,
            y: ty,
            dy: '0.35em',
            'text-anchor': right ? 'start' : 'end',
            transform: `rotate(${rotate.toFixed(2)} ${tx.toFixed(1)} ${ty.toFixed(1)})`,
            'font-size': LABEL_PX,
          },
          shorten(node.label, maxChars),
        ),
      );
    }
    drawing.append(link);
  }
  container.replaceChildren(drawing);
  if (truncated) {
    container.append(
      element('p', 'The strongest links only: the full explorer shows the rest.', { class: 'note' }),
    );
  }
  container.dataset.nodes = String(nodes.length);

  $('#slice-legend').replaceChildren(
    ...[...kinds.keys()].map((kind) => {
      const item = element('li', KINDS[kind].name);
      item.style.setProperty('--swatch', KINDS[kind].colour);
      return item;
    }),
  );
  $('#open-explorer').href =
    `/explorer?center=${encodeURIComponent(state.researcher.id)}&depth=${EXPLORER_DEPTH}`;
}

// --- works ---------------------------------------------------------------------------------

function workItem(work) {
  const item = element('li', undefined, { class: 'work', 'data-id': work.id });
  const meta = [work.type, work.year, work.venue].filter((part) => part !== null && part !== '');
  const line = element('p', undefined, { class: 'work-meta' });
  line.append(...meta.map((part) => element('span', part)));
  const title = element('h3');
  title.append(
    element('a', work.title, {
      href: `/explorer?center=${encodeURIComponent(work.id)}&depth=${EXPLORER_DEPTH}`,
    }),
  );
  item.append(line, title);
  if (work.abstract) item.append(element('p', work.abstract, { class: 'abstract' }));
  return item;
}

function renderWorks() {
  const total = state.researcher.works.totalCount;
  setText('#works-title', `${total} published item(s)`);
  $('#work-list').replaceChildren(...state.works.map(workItem));
  $('#more-works').hidden = !state.pageInfo.hasNextPage;
}

$('#more-works').addEventListener('click', () =>
  run($('#more-works'), '#works-note', async () => {
    const before = state.works.length;
    const data = await graphql('MoreWorks', {
      id: state.researcher.id,
      after: state.pageInfo.endCursor,
      first: worksPage,
    });
    const page = data.researcher.works;
    state.works = [...state.works, ...page.nodes];
    state.pageInfo = page.pageInfo;
    $('#work-list').append(...page.nodes.map(workItem));
    $('#more-works').hidden = !page.pageInfo.hasNextPage;
    // Keyboard users carry on from the first work just added.
    $('#work-list').children[before]?.querySelector('a')?.focus();
  }),
);

// --- works and citations by year -----------------------------------------------------------

// countsByYear leaves out years with nothing; a chart shows them as empty bars.
function everyYear(counts) {
  if (counts.length === 0) return [];
  const byYear = new Map(counts.map((count) => [count.year, count]));
  const years = [];
  for (let year = counts[0].year; year <= counts.at(-1).year; year += 1) {
    years.push(byYear.get(year) ?? { year, works: 0, citations: 0 });
  }
  return years;
}

function barChart(years, field, title, colour) {
  const width = 300;
  const height = 120;
  const top = 16;
  const bottom = 18;
  const max = Math.max(1, ...years.map((year) => year[field]));
  const slot = width / years.length;
  const bar = Math.min(28, slot * 0.7);
  const total = years.reduce((sum, year) => sum + year[field], 0);
  const figure = element('figure', undefined, { class: 'chart' });
  const drawing = svg('svg', {
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-label': `${title}: ${years.map((year) => `${year.year} ${year[field]}`).join(', ')}`,
  });
  years.forEach((year, index) => {
    const value = year[field];
    const barHeight = ((height - top - bottom) * value) / max;
    const x = index * slot + (slot - bar) / 2;
    const y = height - bottom - barHeight;
    const group = svg('g');
    group.append(svg('title', {}, `${year.year}: ${value} ${field}`));
    group.append(svg('rect', { x, y, width: bar, height: barHeight, fill: colour }));
    if (value > 0) {
      group.append(svg('text', { x: x + bar / 2, y: y - 3, 'text-anchor': 'middle' }, value));
    }
    // Every year on a short axis; every other one when they crowd.
    if (years.length <= 12 || index % 2 === 0) {
      group.append(
        svg('text', { x: x + bar / 2, y: height - 4, 'text-anchor': 'middle' }, year.year),
      );
    }
    drawing.append(group);
  });
  drawing.append(svg('line', { x1: 0, x2: width, y1: height - bottom, y2: height - bottom }));
  figure.append(drawing, element('figcaption', `${title} (${total} in all)`));
  return figure;
}

function renderYears() {
  const years = everyYear(state.researcher.countsByYear);
  $('#year-charts').replaceChildren(
    barChart(years, 'works', 'Works published', '#2563eb'),
    barChart(years, 'citations', 'Citations received', '#64748b'),
  );
  $('#year-table tbody').replaceChildren(
    ...years.map((year) => {
      const row = element('tr');
      row.append(element('th', year.year, { scope: 'row' }));
      row.append(element('td', year.works), element('td', year.citations));
      return row;
    }),
  );
}

let resizeTimer;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => state.researcher && renderSlice(), 150);
});

load().catch(showFailure);
