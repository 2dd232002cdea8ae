// The explorer's layout: rings by hop around the centre, each node placed in the wedge of the
// node that reached it, so edges run outward instead of across the drawing, and kinds sit
// together (sectors) because siblings are ordered by kind.
//
// A crowded ring becomes a band of a few tracks (nodes alternate between them), which fills
// area instead of stretching one circle: a 2,000-node neighbourhood stays a compact disc.

// Model units (cytoscape's); the page chooses the zoom.
const NODE_SPACING = 44;
const RING_GAP = 150;
// Rings of large drawings stay apart in proportion (a fixed gap vanishes when zoomed out).
const RING_GAP_SHARE = 0.2;
const TRACK_GAP = 40;
// A ring with more nodes than this is split into tracks: sqrt(nodes / TRACK_DIVISOR) of them,
// so a band grows in depth as well as round.
const ONE_TRACK_MAX = 60;
const TRACK_DIVISOR = 20;
// How much longer a ring is than its nodes side by side.
const SLACK = 1.5;

/**
 * Positions for the nodes, by id.
 * @param {{id: string, kind: string, weight: number}[]} nodes
 * @param {{source: string, target: string, weight: number}[]} edges
 * @param {string} centre
 * @param {string[]} kindOrder kinds in the order their sectors go round
 * @returns {{positions: Map<string, {x: number, y: number}>, rings: Map<string, number>,
 *   parents: Map<string, string>}} positions, hops from the centre over the edges given, and
 *   the node one ring in that each node hangs under
 */
export function radialLayout(nodes, edges, centre, kindOrder) {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const neighbours = new Map(nodes.map((node) => [node.id, []]));
  for (const edge of edges) {
    if (!byId.has(edge.source) || !byId.has(edge.target) || edge.source === edge.target) continue;
    neighbours.get(edge.source).push({ id: edge.target, weight: edge.weight });
    neighbours.get(edge.target).push({ id: edge.source, weight: edge.weight });
  }
  const rings = ringsFrom(centre, byId, neighbours);
  const { children, parents } = treeOf(centre, byId, neighbours, rings, kindOrder);

  // Each node gets a wedge sized by the leaves below it, so a parent sits amid its children.
  const leaves = new Map();
  const countLeaves = (id) => {
    const below = children.get(id);
    const count = below.length ? below.reduce((sum, child) => sum + countLeaves(child), 0) : 1;
    leaves.set(id, count);
    return count;
  };
  const angles = new Map();
  const roots = [centre, ...nodes.filter((n) => !rings.has(n.id)).map((n) => n.id)];
  const totalLeaves = roots.reduce((sum, id) => sum + countLeaves(id), 0);
  const place = (id, start, end) => {
    angles.set(id, (start + end) / 2);
    let from = start;
    for (const child of children.get(id)) {
      const to = from + ((end - start) * leaves.get(child)) / leaves.get(id);
      place(child, from, to);
      from = to;
    }
  };
  let from = -Math.PI / 2;
  for (const id of roots) {
    const to = from + (2 * Math.PI * leaves.get(id)) / totalLeaves;
    place(id, from, to);
    from = to;
  }

  // Nodes the walk reached but the drawing does not connect go on an outer ring of their own.
  const outerRing = Math.max(0, ...rings.values()) + 1;
  const ringOf = (id) => rings.get(id) ?? outerRing;
  const ringMembers = new Map();
  for (const node of nodes) {
    const ring = ringOf(node.id);
    if (!ringMembers.has(ring)) ringMembers.set(ring, []);
    ringMembers.get(ring).push(node.id);
  }

  const positions = new Map([[centre, { x: 0, y: 0 }]]);
  let innerEdge = 0;
  for (const ring of [...ringMembers.keys()].sort((a, b) => a - b)) {
    if (ring === 0) continue;
    const members = ringMembers.get(ring).sort((a, b) => angles.get(a) - angles.get(b));
    const tracks =
      members.length > ONE_TRACK_MAX ? Math.ceil(Math.sqrt(members.length / TRACK_DIVISOR)) : 1;
    // Room for every node with some to spare, so that nodes can stay near their parents.
    const radius = Math.max(
      innerEdge + Math.max(RING_GAP, innerEdge * RING_GAP_SHARE),
      (SLACK * NODE_SPACING * members.length) / (2 * Math.PI * tracks),
    );
    // Neighbours on one track are `tracks` apart in the angular order.
    const spread = spreadApart(
      members.map((id) => angles.get(id)),
      NODE_SPACING / (radius * tracks),
    );
    members.forEach((id, index) => {
      const r = radius + (index % tracks) * TRACK_GAP;
      positions.set(id, { x: r * Math.cos(spread[index]), y: r * Math.sin(spread[index]) });
    });
    innerEdge = radius + (tracks - 1) * TRACK_GAP;
  }
  for (const node of nodes) {
    if (!rings.has(node.id)) rings.set(node.id, ringOf(node.id));
  }
  return { positions, rings, parents };
}

// Hops from the centre over the drawn edges (breadth first).
function ringsFrom(centre, byId, neighbours) {
  const rings = new Map([[centre, 0]]);
  let frontier = byId.has(centre) ? [centre] : [];
  while (frontier.length) {
    const next = [];
    for (const id of frontier) {
      for (const { id: other } of neighbours.get(id)) {
        if (rings.has(other)) continue;
        rings.set(other, rings.get(id) + 1);
        next.push(other);
      }
    }
    frontier = next;
  }
  return rings;
}

// Each node hangs under its strongest link one ring in; siblings ordered by kind, then weight.
function treeOf(centre, byId, neighbours, rings, kindOrder) {
  const children = new Map([...byId.keys()].map((id) => [id, []]));
  const parents = new Map();
  for (const [id, ring] of rings) {
    if (id === centre) continue;
    let parent = null;
    let strongest = -Infinity;
    for (const { id: other, weight } of neighbours.get(id)) {
      if (rings.get(other) !== ring - 1) continue;
      if (weight > strongest || (weight === strongest && other < parent)) {
        parent = other;
        strongest = weight;
      }
    }
    children.get(parent).push(id);
    parents.set(id, parent);
  }
  const rank = (id) => {
    const index = kindOrder.indexOf(byId.get(id).kind);
    return index < 0 ? kindOrder.length : index;
  };
  for (const list of children.values()) {
    list.sort(
      (a, b) => rank(a) - rank(b) || byId.get(b).weight - byId.get(a).weight || (a < b ? -1 : 1),
    );
  }
  return { children, parents };
}

// Angles (sorted) moved as little as a sweep each way needs to be at least `gap` apart round
// the circle; the ring's radius leaves room for that.
function spreadApart(sortedAngles, gap) {
  const spread = [...sortedAngles];
  for (let i = 1; i < spread.length; i++) spread[i] = Math.max(spread[i], spread[i - 1] + gap);
  const last = spread.length - 1;
  if (last > 0 && spread[last] > spread[0] + 2 * Math.PI - gap) {
    spread[last] = spread[0] + 2 * Math.PI - gap;
    for (let i = last - 1; i >= 0; i--) spread[i] = Math.min(spread[i], spread[i + 1] - gap);
  }
  return spread;
}
