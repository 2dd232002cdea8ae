// Which nodes carry a label at the current zoom. Labels keep one size on screen whatever the
// zoom (legible when the whole graph fits), so zooming in spreads the nodes under them and
// frees room for more: the strongest nodes are labelled first, and a label goes only where it
// overlaps none placed before it.

export const LABEL_PX = 12;
export const LABEL_FONT_FAMILY = 'system-ui, sans-serif';
// Room between a node and its label.
export const LABEL_GAP_PX = 3;
// Room kept around each label's text (more than its outline).
const LABEL_PADDING_PX = 3;
// Cytoscape's box of a label is wider than its text by the outline and a margin that is
// fixed in model units, so more pixels when zoomed in: room kept for it.
const LABEL_PADDING_MODEL = 3;
const LABEL_MAX_PX = 180;
// Nodes drawn smaller than this may sit under a label; larger ones keep labels off.
const OBSTACLE_MIN_PX = 8;
// A line of text is taller than its font size.
const LINE_PX = LABEL_PX * 1.3;

const measure = document.createElement('canvas').getContext('2d');

function fontFor(bold) {
  return `${bold ? 'bold' : 'normal'} ${LABEL_PX}px ${LABEL_FONT_FAMILY}`;
}

/** The label as drawn: cut with an ellipsis to fit LABEL_MAX_PX, and its width on screen. */
export function fitLabel(text, bold) {
  measure.font = fontFor(bold);
  const width = (value) => measure.measureText(value).width;
  if (width(text) <= LABEL_MAX_PX) return { text, width: width(text) };
  let low = 0;
  let high = text.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (width(`${text.slice(0, middle).trimEnd()}…`) <= LABEL_MAX_PX) low = middle;
    else high = middle - 1;
  }
  const cut = `${text.slice(0, low).trimEnd()}…`;
  return { text: cut, width: width(cut) };
}

/**
 * The labels to show at this zoom, in priority order, each on the first of its sides where it
 * overlaps no label placed before it and no node drawn large enough to hide.
 * @param {{id: string, x: number, y: number, size: number, width: number, side: string}[]}
 *   candidates in priority order: model position and diameter, label width on screen, and
 *   the side of the node the label would rather go on (labelSide)
 * @param {number} zoom
 * @returns {Map<string, string>} the side of each label shown, by node id
 */
export function labelsAt(candidates, zoom) {
  const cell = LABEL_MAX_PX + 2 * (LABEL_PADDING_PX + LABEL_PADDING_MODEL * zoom);
  const grid = new Map();
  const cellsOf = function* (box) {
    for (
      let column = Math.floor(box.left / cell);
      column <= Math.floor(box.right / cell);
      column++
    ) {
      for (let row = Math.floor(box.top / cell); row <= Math.floor(box.bottom / cell); row++) {
        yield `${column},${row}`;
      }
    }
  };
  const occupy = (box) => {
    for (const key of cellsOf(box)) {
      if (!grid.has(key)) grid.set(key, []);
      grid.get(key).push(box);
    }
  };
  // A label's padding may reach into its own node's disc.
  const free = (box, owner) => {
    for (const key of cellsOf(box)) {
      const others = grid.get(key) ?? [];
      if (others.some((other) => other.owner !== owner && overlap(box, other))) return false;
    }
    return true;
  };
  for (const { id, x, y, size } of candidates) {
    const half = (size * zoom) / 2;
    if (2 * half < OBSTACLE_MIN_PX) continue;
    occupy({
      owner: id,
      left: x * zoom - half,
      right: x * zoom + half,
      top: y * zoom - half,
      bottom: y * zoom + half,
    });
  }
  const chosen = new Map();
  for (const candidate of candidates) {
    for (const side of SIDES_AFTER[candidate.side]) {
      const box = labelBox({ ...candidate, side }, zoom);
      if (!free(box, candidate.id)) continue;
      chosen.set(candidate.id, side);
      occupy(box);
      break;
    }
  }
  return chosen;
}

// The sides a label tries, its own first, the opposite last.
const SIDES_AFTER = {
  above: ['above', 'right', 'left', 'below'],
  below: ['below', 'right', 'left', 'above'],
  left: ['left', 'above', 'below', 'right'],
  right: ['right', 'above', 'below', 'left'],
};

// Where a node's label goes on screen (its node's centre at the origin of the model), padded.
function labelBox({ x, y, size, width, side }, zoom) {
  const half = (size * zoom) / 2;
  const padding = LABEL_PADDING_PX + LABEL_PADDING_MODEL * zoom;
  const [centreX, centreY] = [x * zoom, y * zoom];
  let left = centreX - width / 2;
  let top = centreY + half + LABEL_GAP_PX;
  if (side === 'above') top = centreY - half - LABEL_GAP_PX - LINE_PX;
  if (side === 'left' || side === 'right') {
    top = centreY - LINE_PX / 2;
    left = side === 'right' ? centreX + half + LABEL_GAP_PX : centreX - half - LABEL_GAP_PX - width;
  }
  return {
    left: left - padding,
    right: left + width + padding,
    top: top - padding,
    bottom: top + LINE_PX + padding,
  };
}

/** The side of its node a label goes on: away from the centre (the origin), by quadrant. */
export function labelSide({ x, y }) {
  if (x === 0 && y === 0) return 'below';
  if (Math.abs(x) > Math.abs(y)) return x > 0 ? 'right' : 'left';
  return y > 0 ? 'below' : 'above';
}

function overlap(a, b) {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}
