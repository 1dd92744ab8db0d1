/**
 * The `agreement` invariant: once the network has been quiet (no faults, no election in
 * progress) for a settle time, every alive node in a connected component names the same
 * leader, and that leader is in the component and believes it leads; for Bully and Ring
 * (models with `termSafety: false`) it is the highest alive id of that component.
 *
 * Naming nobody is not agreement: a component whose nodes all name null fails, unless it
 * cannot elect anyone. For Raft (a model with `termSafety`) that is a component without a
 * majority of all the scenario's nodes: its nodes may all name nobody, or all still follow
 * a stale leader among them that has not noticed it lost its majority.
 *
 * It is a check on one moment, not an incremental monitor: "the network has been quiet for
 * a settle time" is a statement about the schedule, which the caller knows (the CLI after
 * `--until`, tests after their last fault plus a settle time, `settleAndCheck` below).
 * Cost: O(n²) link lookups, run once.
 *
 * Components: alive, unpaused nodes, joined where the link works in both directions (no cut
 * either way, same partition side). Loss does not split a component. A paused node is
 * frozen and is left out; so are dead ones.
 */
import type { Simulation } from '../sim/simulation';
import { blocked } from '../sim/network';
import { ms } from '../sim/time';
import type { NodeId } from '../sim/types';
import type { Violation } from '../sim/world';
import { internals } from '../sim/simulation';

export interface ComponentAgreement {
  /** The component's nodes, ascending. */
  nodes: NodeId[];
  /** Whom every node should name: the highest id (Bully, Ring), or null when any common choice will do. */
  expected: NodeId | null;
  /** Whom each node names (null: nobody). */
  beliefs: Record<NodeId, NodeId | null>;
  ok: boolean;
}

export interface AgreementReport {
  ok: boolean;
  components: ComponentAgreement[];
  /** One sentence per component that disagrees. */
  problems: string[];
}

export interface AgreementOptions {
  /** The leader must be the highest id of its component (default: the model's `termSafety` is false). */
  highestWins?: boolean;
  /**
   * Leaders need votes from a majority of all the scenario's nodes, so only a component
   * holding such a majority must have one (default: the model's `termSafety`). Otherwise
   * every component must have a leader.
   */
  quorum?: boolean;
}

/** Connected components of alive, unpaused nodes over links that work both ways. */
export function components(sim: Simulation): NodeId[][] {
  const w = internals(sim).world;
  const up = w.nodes.filter((n) => n.alive && !n.paused).map((n) => n.id);
  up.sort((a, b) => a - b);
  const seen = new Set<NodeId>();
  const out: NodeId[][] = [];
  for (const start of up) {
    if (seen.has(start)) continue;
    const comp: NodeId[] = [];
    const stack = [start];
    seen.add(start);
    while (stack.length > 0) {
      const a = stack.pop() as NodeId;
      comp.push(a);
      for (const b of up)
        if (!seen.has(b) && blocked(w.net, a, b) === null && blocked(w.net, b, a) === null) {
          seen.add(b);
          stack.push(b);
        }
    }
    out.push(comp.sort((x, y) => x - y));
  }
  return out;
}

export function checkAgreement(sim: Simulation, opts: AgreementOptions = {}): AgreementReport {
  const highestWins = opts.highestWins ?? !internals(sim).rt.model.termSafety;
  const quorum = opts.quorum ?? internals(sim).rt.model.termSafety;
  const majority = Math.floor(internals(sim).world.nodes.length / 2) + 1;
  const report: AgreementReport = { ok: true, components: [], problems: [] };
  for (const nodes of components(sim)) {
    const beliefs: Record<NodeId, NodeId | null> = {};
    for (const id of nodes) beliefs[id] = sim.summaryOf(id).leader ?? null;
    const top = nodes[nodes.length - 1];
    const expected = highestWins ? top : beliefs[nodes[0]];
    const needsLeader = !quorum || nodes.length >= majority;
    let ok = nodes.every((id) => beliefs[id] === expected);
    if (ok && expected !== null) {
      // the named leader is in this component and believes it leads
      ok = nodes.includes(expected) && sim.summaryOf(expected).role === 'leader';
    }
    const leaderless = ok && expected === null && needsLeader;
    if (leaderless) ok = false;
    report.components.push({ nodes, expected: highestWins ? top : null, beliefs, ok });
    if (!ok) {
      report.ok = false;
      const named = nodes.map((id) => `${id}→${beliefs[id] ?? '-'}`).join(' ');
      report.problems.push(
        highestWins
          ? `component {${nodes.join(', ')}} should all name ${top} (its highest id) as leader: ${named}`
          : leaderless
            ? `component {${nodes.join(', ')}} has no leader: ${named}`
            : `component {${nodes.join(', ')}} does not agree on one leader: ${named}`,
      );
    }
  }
  return report;
}

/**
 * Records a failed check (`report`, or a fresh one) as an `agreement` violation (severity
 * error) in the world, and returns it; null when agreement holds.
 */
export function recordAgreement(
  sim: Simulation,
  report: AgreementReport = checkAgreement(sim),
): Violation | null {
  const r = report;
  if (r.ok) return null;
  const bad = r.components.filter((c) => !c.ok);
  const v: Violation = {
    invariant: 'agreement',
    severity: 'error',
    t: sim.now,
    nodes: bad.flatMap((c) => c.nodes),
    detail: r.problems.join('; '),
    eventIndex: sim.counters().events - 1,
  };
  internals(sim).world.violations.push(v);
  return v;
}

/**
 * Runs `sim` for `settleMs` of simulated time after now (the caller's last fault) and then
 * checks agreement, recording a violation if it fails.
 */
export function settleAndCheck(
  sim: Simulation,
  settleMs: number,
  opts: AgreementOptions = {},
): AgreementReport {
  sim.runUntilTime(sim.now + ms(settleMs));
  const r = checkAgreement(sim, opts);
  recordAgreement(sim, r);
  return r;
}
