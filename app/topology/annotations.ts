/**
 * Annotations the network view draws on the nodes from the algorithm's definition:
 * - a replicated log (Raft's): a compact strip under each node, one cell per entry
 *   coloured by its term, committed entries solid and the commit index marked by a bar;
 * - the short text under a node's id: what its number means (term, revision, token).
 */
import type { AlgorithmDefinition, ReplicatedLog } from '../../algorithms/index';
import type { NodeVM } from '../store/view';

const SVG_NS = 'http://www.w3.org/2000/svg';
/** Cells shown; older entries are summed up as "+n". */
export const STRIP_CELLS = 8;
/** Colours by term (Okabe-Ito, cycling): the same term has the same colour on every node. */
export const TERM_COLORS = ['#56B4E9', '#E69F00', '#009E73', '#CC79A7', '#0072B2', '#D55E00'];

export function termColor(term: number): string {
  return TERM_COLORS[(((term - 1) % TERM_COLORS.length) + TERM_COLORS.length) % TERM_COLORS.length];
}

/** The node's replicated log and commit index, when its algorithm keeps one. */
export function logOf(def: AlgorithmDefinition, node: NodeVM): ReplicatedLog | null {
  if (!def.log || !node.context) return null;
  return def.log(node.context);
}

/** Whether the view should draw log strips (an algorithm with a log, once any node has an entry). */
export function showLogStrips(def: AlgorithmDefinition, nodes: readonly NodeVM[]): boolean {
  if (!def.log) return false;
  return nodes.some((n) => (logOf(def, n)?.entries.length ?? 0) > 0);
}

/** Changes exactly when the strip's picture changes. */
export function logSig(def: AlgorithmDefinition, node: NodeVM, show: boolean): string {
  if (!show) return '';
  const l = logOf(def, node);
  if (!l) return '-';
  const tail = l.entries.slice(-STRIP_CELLS).map((e) => e.term);
  return `${l.entries.length}:${l.commit}:${tail.join('.')}`;
}

/** Extra room the outer labels of a bottom node need below a strip. */
export function stripRoom(R: number, show: boolean): number {
  return show ? Math.max(10, Math.min(21, R * 0.3)) + 12 : 0;
}

function make<K extends keyof SVGElementTagNameMap>(
  parent: Element,
  tag: K,
  attrs: Record<string, string | number>,
): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  parent.appendChild(e);
  return e;
}

/** Draws (or clears) the log strip in `g`, a group centred on the node. */
export function drawLogStrip(
  g: SVGGElement,
  def: AlgorithmDefinition,
  node: NodeVM,
  R: number,
  show: boolean,
  minFont = 0,
): void {
  g.replaceChildren();
  const l = show ? logOf(def, node) : null;
  if (!l) {
    g.setAttribute('display', 'none');
    return;
  }
  g.setAttribute('display', 'inline');
  const cell = Math.max(10, Math.min(21, R * 0.3));
  const gap = Math.max(2, cell * 0.18);
  const y = R + 19;
  const total = l.entries.length;
  const from = Math.max(0, total - STRIP_CELLS);
  const shown = l.entries.slice(from);
  const count = Math.max(1, shown.length);
  const width = count * cell + (count - 1) * gap;
  const x0 = -width / 2;
  g.setAttribute('data-log-length', String(total));
  g.setAttribute('data-commit', String(l.commit));
  const title = make(g, 'title', {});
  title.textContent =
    total === 0
      ? `Node ${node.id}'s log is empty`
      : `Node ${node.id}'s log: ${total} entr${total === 1 ? 'y' : 'ies'}, ${Math.min(l.commit, total)} committed (terms ${shown.map((e) => e.term).join(', ')}${from > 0 ? ', newest' : ''})`;
  const pad = Math.max(3, cell * 0.22);
  const more = from > 0 ? cell * 1.6 : 0;
  make(g, 'rect', {
    class: 'log-bg',
    x: x0 - pad - more,
    y: y - pad,
    width: width + 2 * pad + more,
    height: cell + 2 * pad,
    rx: pad + 2,
  });
  if (shown.length === 0) {
    make(g, 'rect', { class: 'log-empty', x: -cell / 2, y, width: cell, height: cell, rx: 2 });
    return;
  }
  if (from > 0)
    make(g, 'text', {
      class: 'log-more',
      x: x0 - gap,
      y: y + cell * 0.78,
      'text-anchor': 'end',
      'font-size': Math.max(cell * 0.72, minFont),
    }).textContent = `+${from}`;
  shown.forEach((e, k) => {
    const index = from + k + 1; // Raft indices start at 1
    const committed = index <= l.commit;
    make(g, 'rect', {
      class: `log-cell${committed ? ' committed' : ' pending'}`,
      x: x0 + k * (cell + gap),
      y,
      width: cell,
      height: cell,
      rx: 2,
      fill: termColor(e.term),
      'data-term': e.term,
    });
  });
  const c = Math.min(l.commit, total) - from;
  if (c > 0) {
    const x = x0 + c * (cell + gap) - gap / 2;
    make(g, 'path', {
      class: 'log-commit',
      d: `M${x},${y - 5}L${x},${y + cell + 5}`,
    });
  }
}

/** The short text inside a node under its id: what its number means (term, revision, token). */
export function epochText(node: NodeVM, def: AlgorithmDefinition): string {
  if (node.term === undefined) return '';
  return def.epochText ? def.epochText(node, node.state) : `${def.vocabulary.epoch} ${node.term}`;
}
