// GraphiQL served by the service itself: React, GraphiQL and Monaco are bundled at build time,
// so the page works with no network beyond the service (Strawberry's own page loads a CDN).
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { Kind, parse } from 'graphql';
import 'graphiql/style.css';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';

import ANALYST_QUERY from '../queries/analyst.graphql';
import EXPLORE_QUERY from '../queries/explorer.graphql';
import PROFILE_QUERY from '../queries/profile.graphql';

// The seed researcher of the demo data and the field of most of its works, so every tab
// answers on a fresh install.
const SEED_RESEARCHER = 'A925533110232';
const SEED_FIELD = 'fields/17';

// Monaco runs its language services in workers; build.mjs bundles them next to this file.
const WORKERS = { json: 'json.worker.js', graphql: 'graphql.worker.js' };
globalThis.MonacoEnvironment = {
  getWorker(_workerId, label) {
    return new Worker(new URL(WORKERS[label] ?? 'editor.worker.js', import.meta.url));
  },
};

const variables = (values) => JSON.stringify(values, null, 2);

// The endpoint is the page's own URL: the service answers a browser's GET on /graphql with it.
const send = createGraphiQLFetcher({ url: window.location.pathname });

// The operations a document names, or null when it does not parse (the server says why).
const operationNames = (query) => {
  try {
    return parse(query)
      .definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION)
      .map((definition) => definition.name?.value);
  } catch {
    return null;
  }
};

// GraphiQL names the operation to run from the editor's text a moment after a tab changes, so
// a run in that moment sends the previous tab's operation name with this tab's document. The
// document sent is the truth: a name it does not define is replaced by its only operation's.
const fetcher = (params, options) => {
  const names = operationNames(params.query);
  if (names === null || !params.operationName || names.includes(params.operationName)) {
    return send(params, options);
  }
  const operationName = names.length === 1 ? names[0] : undefined;
  return send({ ...params, operationName }, options);
};

const defaultTabs = [
  { query: PROFILE_QUERY, variables: variables({ id: SEED_RESEARCHER }) },
  { query: EXPLORE_QUERY, variables: variables({ center: SEED_RESEARCHER, depth: 2, limit: 200 }) },
  { query: ANALYST_QUERY, variables: variables({ topic: SEED_FIELD }) },
];
// GraphiQL 5 opens the first default tab with an empty variables editor (it fills that editor
// from initialVariables only), so on a first visit, before any tabs are saved, pass them too.
const firstVisit = window.localStorage.getItem('graphiql:tabState') === null;

createRoot(document.getElementById('graphiql')).render(
  createElement(GraphiQL, {
    fetcher,
    defaultEditorToolsVisibility: true,
    defaultTabs,
    initialVariables: firstVisit ? defaultTabs[0].variables : undefined,
  }),
);
