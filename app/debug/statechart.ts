/**
 * A statechart model read from the algorithm's XState machine definition itself (not
 * hand-written): its states (nested ones by path), each state's transitions with event
 * type, guard name and target, its entry and exit actions, and the timers it starts
 * (delayed `raise` actions and `after` transitions). Transitions declared on the root
 * apply in every state unless the state handles the event itself.
 */
import { and, not, or, type AnyStateMachine } from 'xstate';

export interface ChartTransition {
  event: string;
  guard: string | null;
  /** Target state path ("follower", "worker.leading"), or null for a targetless one. */
  target: string | null;
  /** Re-entering its own state restarts the state's timers. */
  reenter: boolean;
  /** What it does, by name ("startElection", "broadcast"); entry/exit actions not included. */
  actions: string[];
  /** Index among the state's transitions (stable key). */
  k: number;
}

export interface ChartTimer {
  /** Timer id ("election"). */
  id: string;
  /** The event it raises ("ELECTION_TIMEOUT"). */
  event: string;
  /** The delay's name in the machine ("election"), or a number of µs. */
  delay: string;
  /** The action that starts it ("resetElectionTimer"), or "after". */
  via: string;
}

export interface ChartState {
  /** Path from the root: "follower", "worker.leading"; "" for the root. */
  path: string;
  name: string;
  depth: number;
  initial: boolean;
  atomic: boolean;
  entry: string[];
  exit: string[];
  timers: ChartTimer[];
  transitions: ChartTransition[];
}

export interface Chart {
  id: string;
  states: ChartState[];
  /** Transitions on the root: fallbacks for every state. */
  shared: ChartTransition[];
}

interface ActionDef {
  type?: string;
  id?: string;
  delay?: unknown;
  event?: unknown;
  sendId?: string;
}

interface StateNodeLike {
  path: string[];
  key: string;
  type: string;
  parent?: StateNodeLike;
  initial?: { target?: { path: string[] }[] };
  entry: unknown[];
  exit: unknown[];
  after: { eventType: string; delay: unknown; target?: { path: string[] }[] }[];
  transitions: Map<
    string,
    {
      eventType: string;
      guard?: { type?: string } | string;
      target?: { path: string[] }[];
      reenter?: boolean;
      actions?: unknown[];
    }[]
  >;
  states: Record<string, StateNodeLike>;
}

/** A readable name for an action reference (a string, an object, or a built-in). */
function actionName(a: unknown, impl: Record<string, ActionDef>): string | null {
  if (typeof a === 'string') return a;
  if (a && typeof a === 'object' && 'type' in a) return String((a as { type: string }).type);
  if (typeof a === 'function') {
    const f = a as ActionDef;
    if (f.type === 'xstate.cancel') return `cancel(${(f as { sendId?: string }).sendId ?? ''})`;
    if (f.type === 'xstate.raise') return `raise ${f.id ?? ''}`.trim();
    if (f.type === 'xstate.assign') return 'assign';
    if (f.type) return f.type.replace(/^xstate\./, '');
    const named = Object.entries(impl).find(([, v]) => v === a);
    return named ? named[0] : null;
  }
  return null;
}

/** A timer started by a delayed raise action (by name), if that is what it is. */
function timerOf(name: string, impl: Record<string, ActionDef>): ChartTimer | null {
  const f = impl[name];
  if (!f || f.type !== 'xstate.raise' || f.delay === undefined) return null;
  const ev = f.event as { type?: string } | undefined;
  return {
    id: f.id ?? name,
    event: ev?.type ?? '?',
    delay: typeof f.delay === 'number' ? `${f.delay} µs` : String(f.delay),
    via: name,
  };
}

type GuardRef = { type?: string } | string | undefined;

const checkOf = (g: unknown) => (g as { check?: unknown }).check;
const COMBINATOR_CHECKS = {
  and: checkOf(and([])),
  or: checkOf(or([])),
  not: checkOf(not('x')),
};

/** A guard's name; XState's and / or / not combinators are spelled out from their parts. */
function guardName(g: GuardRef): string | null {
  if (!g) return null;
  if (typeof g === 'string') return g;
  if (typeof g.type === 'string') return g.type;
  const combined = g as { check?: unknown; guards?: GuardRef[] };
  if (typeof g === 'function' && Array.isArray(combined.guards)) {
    // told apart by their check function: function names do not survive minification
    const parts = combined.guards.map((p) => guardName(p) ?? 'guard');
    if (combined.check === COMBINATOR_CHECKS.not) return `not ${parts[0]}`;
    if (combined.check === COMBINATOR_CHECKS.and) return parts.join(' and ');
    if (combined.check === COMBINATOR_CHECKS.or) return parts.join(' or ');
  }
  return 'guard';
}

const cache = new WeakMap<AnyStateMachine, Chart>();

export function chartOf(machine: AnyStateMachine): Chart {
  const hit = cache.get(machine);
  if (hit) return hit;
  const impl = ((machine as unknown as { implementations?: { actions?: unknown } }).implementations
    ?.actions ?? {}) as Record<string, ActionDef>;
  const root = (machine as unknown as { root: StateNodeLike }).root;
  const rel = (p: string[]) => p.join('.');
  const transitionsOf = (sn: StateNodeLike): ChartTransition[] => {
    const out: ChartTransition[] = [];
    for (const [event, ts] of sn.transitions) {
      if (event.startsWith('xstate.after')) continue;
      for (const t of ts)
        out.push({
          event,
          guard: guardName(t.guard),
          target: t.target && t.target.length ? rel(t.target[0].path) : null,
          reenter: !!t.reenter,
          actions: (t.actions ?? [])
            .map((a) => actionName(a, impl))
            .filter((a): a is string => a !== null),
          k: out.length,
        });
    }
    for (const a of sn.after)
      out.push({
        event: `after ${typeof a.delay === 'number' ? `${a.delay} µs` : String(a.delay)}`,
        guard: null,
        target: a.target && a.target.length ? rel(a.target[0].path) : null,
        reenter: false,
        actions: [],
        k: out.length,
      });
    return out;
  };
  const states: ChartState[] = [];
  const walk = (sn: StateNodeLike, depth: number) => {
    for (const child of Object.values(sn.states)) {
      const entry = child.entry
        .map((a) => actionName(a, impl))
        .filter((x): x is string => x !== null);
      const exit = child.exit.map((a) => actionName(a, impl)).filter((x): x is string => !!x);
      const timers: ChartTimer[] = [];
      for (const name of entry) {
        const t = timerOf(name, impl);
        if (t) timers.push(t);
      }
      for (const a of child.after)
        timers.push({
          id: 'after',
          event: a.eventType,
          delay: typeof a.delay === 'number' ? `${a.delay} µs` : String(a.delay),
          via: 'after',
        });
      const initial = (sn.initial?.target ?? []).some((t) => rel(t.path) === rel(child.path));
      states.push({
        path: rel(child.path),
        name: child.key,
        depth,
        initial,
        atomic: child.type === 'atomic' || child.type === 'final',
        entry,
        exit,
        timers,
        transitions: transitionsOf(child),
      });
      walk(child, depth + 1);
    }
  };
  walk(root, 0);
  const chart: Chart = { id: (machine as { id: string }).id, states, shared: transitionsOf(root) };
  cache.set(machine, chart);
  return chart;
}

/** The state of `chart` a state value belongs to, deepest first ("worker.leading"). */
export function isIn(value: string, path: string): boolean {
  return value === path || value.startsWith(`${path}.`);
}

/**
 * The transitions that may have been taken by the event `type` that moved a node from
 * state `before` to `after`: those declared on the state (or its ancestors, then the
 * root) for that event whose target matches. Several guarded branches can fit; all are
 * marked, in declaration order.
 */
export function takenTransitions(
  chart: Chart,
  before: string,
  after: string,
  type: string,
): { state: string; k: number }[] {
  const moved = before !== after;
  const fits = (t: ChartTransition) =>
    t.event === type &&
    (moved ? t.target !== null && isIn(after, t.target) : t.target === null || t.reenter);
  const owners = chart.states.filter((s) => isIn(before, s.path)).sort((a, b) => b.depth - a.depth);
  for (const s of owners) {
    const ks = s.transitions.filter(fits).map((t) => ({ state: s.path, k: t.k }));
    if (ks.length) return ks;
    // a state that handles the event does not fall through to its parent
    if (!moved && s.transitions.some((t) => t.event === type)) return [];
  }
  return chart.shared.filter(fits).map((t) => ({ state: '', k: t.k }));
}
