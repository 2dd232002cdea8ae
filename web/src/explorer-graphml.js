// GraphML of what the explorer draws: after "expand" and "path" the drawing is more than one
// explore answer, which the server's /export/graphml (one answer) cannot give. The keys are the
// server's (researchgraph/export.py), so both files open the same way in Gephi or networkx.

const KEYS = [
  ['kind', 'node', 'kind', 'string'],
  ['label', 'node', 'label', 'string'],
  ['hop', 'node', 'hop', 'int'],
  ['weight', 'node', 'weight', 'double'],
  ['edge_kind', 'edge', 'kind', 'string'],
  ['edge_weight', 'edge', 'weight', 'double'],
  ['center', 'graph', 'center', 'string'],
  ['depth', 'graph', 'depth', 'int'],
];

// Characters XML 1.0 cannot hold; a title may carry them.
const NOT_XML = /[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]/g;
const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const escape = (value) =>
  String(value)
    .replace(NOT_XML, '')
    .replace(/[&<>"]/g, (c) => ESCAPES[c]);
const data = (key, value) => `<data key="${key}">${escape(value)}</data>`;

/**
 * The drawn graph as a GraphML document.
 * @param {{center: string, depth: number, nodes: object[], edges: object[]}} drawing
 */
export function graphml({ center, depth, nodes, edges }) {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
    ...KEYS.map(
      ([id, scope, name, type]) =>
        `  <key id="${id}" for="${scope}" attr.name="${name}" attr.type="${type}"/>`,
    ),
    '  <graph id="neighbourhood" edgedefault="directed">',
    `    ${data('center', center)}${data('depth', depth)}`,
    ...nodes.map(
      (node) =>
        `    <node id="${escape(node.id)}">${data('kind', node.kind)}${data('label', node.label)}` +
        `${data('hop', node.hop)}${data('weight', node.weight)}</node>`,
    ),
    ...edges.map(
      (edge, number) =>
        `    <edge id="e${number}" source="${escape(edge.source)}" target="${escape(edge.target)}">` +
        `${data('edge_kind', edge.kind)}${data('edge_weight', edge.weight)}</edge>`,
    ),
    '  </graph>',
    '</graphml>',
    '',
  ].join('\n');
}
