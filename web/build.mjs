// Builds the browser assets the Python package serves under /static: the GraphiQL page (React,
// GraphiQL, Monaco and its workers), the explorer page (cytoscape.js) and the researcher page
// (plain DOM and SVG), all from node_modules,
// so no page loads anything from another host. `npm ci` runs this (the "prepare" script).
import { build } from 'esbuild';
import { copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const OUT = here('../researchgraph/web/assets');

const common = {
  bundle: true,
  minify: true,
  target: 'es2022',
  outdir: OUT,
  // React and friends pick their production build from this.
  define: { 'process.env.NODE_ENV': '"production"' },
  // Queries are .graphql files, shared with the docs; Monaco's icon font is a file of its own.
  loader: { '.graphql': 'text', '.ttf': 'file' },
  assetNames: '[name]-[hash]',
  logLevel: 'warning',
};

// A stale hashed font or a renamed bundle must not linger in the served folder.
await rm(OUT, { recursive: true, force: true });
await mkdir(OUT, { recursive: true });

await build({
  ...common,
  entryPoints: {
    graphiql: here('src/graphiql.js'),
    explorer: here('src/explorer.js'),
    profile: here('src/profile.js'),
  },
  format: 'esm',
});

// Workers are classic scripts (module workers are not needed and load slower).
await build({
  ...common,
  entryPoints: {
    'editor.worker': 'monaco-editor/esm/vs/editor/editor.worker.js',
    'json.worker': 'monaco-editor/esm/vs/language/json/json.worker.js',
    'graphql.worker': 'monaco-graphql/esm/graphql.worker.js',
  },
  format: 'iife',
});

for (const page of ['graphiql.html', 'explorer.html', 'profile.html']) {
  await copyFile(here(`src/${page}`), `${OUT}/${page}`);
}

console.log(`built ${(await readdir(OUT)).length} files into ${OUT}`);
