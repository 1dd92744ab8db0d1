/**
 * Breakpoints: conditions checked after every event while the simulation runs (play,
 * run-for, run until); the first one that holds stops the run right after that event.
 * The simulation session checks them; the check exists only while at least one
 * breakpoint is enabled, so a run without breakpoints pays nothing.
 */
import type { Simulation, TraceRecord } from '../../algorithms/index';
import type { SimulationSession } from '../session/session';
import { debugStore, type Breakpoint } from './debugStore';

export function describeBreakpoint(b: Breakpoint): string {
  switch (b.kind) {
    case 'leader':
      return 'A leader is elected';
    case 'term':
      return 'The term changes (a higher term begins)';
    case 'violation':
      return 'An invariant is violated';
    case 'state':
      return `${b.node === null ? 'Any node' : `Node ${b.node}`} enters ${b.state}`;
    case 'message':
      return `A ${b.type} message is delivered`;
  }
}

/** Whether state value `value` is `state` or inside it ("worker.leading" is in "worker"). */
function inState(value: string | undefined, state: string): boolean {
  return value !== undefined && (value === state || value.startsWith(`${state}.`));
}

/** Builds the check for the enabled breakpoints (null when none is enabled). */
export function compile(bps: readonly Breakpoint[]) {
  const on = bps.filter((b) => b.enabled);
  if (on.length === 0) return null;
  // the highest term seen, tracked across consecutive events (re-based after a seek)
  let lastIndex = -2;
  let maxTerm = 0;
  let lastSim: Simulation | null = null;
  /** The highest term before `rec`: the other nodes' (this event did not change them) and
   * this node's from its previous record. */
  const highestTermBefore = (sim: Simulation, rec: TraceRecord) => {
    let m = 0;
    for (const n of sim.scenario.nodes) {
      const t = sim.summaryOf(n.id).term;
      if (n.id !== rec.node && t !== undefined && t > m) m = t;
    }
    for (let i = rec.i - 1; i >= Math.max(sim.traceStart, rec.i - 5000); i--) {
      const r = sim.record(i);
      if (r && r.node === rec.node && r.term !== undefined) {
        if (r.term > m) m = r.term;
        break;
      }
    }
    return m;
  };
  return (sim: Simulation, rec: TraceRecord, leaderBefore: number | null): string | null => {
    const consecutive = sim === lastSim && rec.i === lastIndex + 1;
    lastSim = sim;
    lastIndex = rec.i;
    let termHit: string | null = null;
    if (!consecutive) maxTerm = highestTermBefore(sim, rec);
    if (rec.term !== undefined && rec.term > maxTerm) {
      termHit = `term ${rec.term} begins (node ${rec.node})`;
      maxTerm = rec.term;
    }
    for (const b of on) {
      switch (b.kind) {
        case 'leader':
          if (sim.leader !== null && sim.leader !== leaderBefore)
            return `node ${sim.leader} was elected leader${sim.leaderTerm !== undefined ? ` of term ${sim.leaderTerm}` : ''}`;
          break;
        case 'term':
          if (termHit) return termHit;
          break;
        case 'violation': {
          const v = sim.violations();
          const last = v[v.length - 1];
          if (last && last.eventIndex === rec.i) return `${last.invariant}: ${last.detail}`;
          break;
        }
        case 'state':
          if (
            (b.node === null || rec.node === b.node) &&
            rec.node !== 0 &&
            inState(rec.after, b.state) &&
            !inState(rec.before, b.state)
          )
            return `node ${rec.node} enters ${b.state}`;
          break;
        case 'message':
          if (rec.kind === 'deliver' && rec.type === b.type)
            return `${rec.label ?? rec.type} from node ${rec.from} delivered to node ${rec.node}`;
          break;
      }
    }
    return null;
  };
}

/** Keeps the session's breakpoints in step with the list; records each hit. */
export function installBreakpoints(session: SimulationSession): () => void {
  session.setBreakpoints(debugStore.getState().breakpoints);
  const unsub = debugStore.subscribe((s, prev) => {
    if (s.breakpoints !== prev.breakpoints) session.setBreakpoints(s.breakpoints);
  });
  const unsubHits = session.onNotice((n) => {
    if (n.kind === 'breakpoint') debugStore.setState({ lastHit: { text: n.text, index: n.index } });
  });
  return () => {
    unsub();
    unsubHits();
    session.setBreakpoints([]);
  };
}
