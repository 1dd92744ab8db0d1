/**
 * Compiles an XState v5 machine into a step function for the engine's compiled driver
 * path. The machine definition stays the source of truth and XState's own
 * `transition()` stays the reference: this is a specialised evaluator of the same
 * definition, built once per machine from XState's normalised state-node tree
 * (`machine.root`), with the semantics of XState's macrostep:
 *
 * - transition selection: the candidates for an event are the active atomic state's
 *   transitions for that event type, then its parent's, up to the root, each list in
 *   document order; the first whose guard passes wins (`StateNode.next`);
 * - a microstep runs the exit actions of the exit set (deepest first), then the
 *   transition's actions, then the entry actions of the entry set (document order, with
 *   `initial` actions for states entered by default); exit and entry sets follow
 *   XState's transition domain rules (targetless, re-entering, root-level `.child`);
 * - a macrostep is one external event, then eventless (`always`) transitions and the
 *   events raised without delay, in XState's order, until the machine is at rest;
 * - actions: named, inline objects `{ type, params }`, inline functions, `assign`,
 *   `raise` (delays named, numbers or functions), `cancel` and `enqueueActions`; guards:
 *   named, with params, inline, `and` / `or` / `not` / `stateIn`.
 *
 * Everything is resolved when the machine is compiled: for every atomic state and every
 * event type, the candidate transitions with their guards and the whole action list of
 * the microstep (exits, transition, entries) and the resulting state. A step is then a
 * map lookup, the guards, and the actions. Features outside this subset (parallel,
 * history and final states, invoked or spawned actors, wildcard event descriptors,
 * other built-in actions) make compileMachine throw, naming the machine and the state.
 *
 * Snapshots are plain objects carrying what the engine and the views read: `value`,
 * `context`, `status` (always "active": final states are not compiled), `machine` and
 * `matches()`. Like XState's, a snapshot is replaced only when the step assigned to the
 * context or changed the active states; otherwise the step returns the same object.
 */
import {
  and,
  matchesState,
  not,
  or,
  stateIn,
  type AnyMachineSnapshot,
  type AnyStateMachine,
  type EventObject,
  type StateValue,
} from 'xstate';

export interface EmittedAction {
  type: string;
  params?: unknown;
}

/* ---------- XState's normalised state-node tree, as far as the compiler reads it ---------- */

interface XNode {
  id: string;
  key: string;
  type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  parent?: XNode;
  order: number;
  states: Record<string, XNode>;
  entry: unknown[];
  exit: unknown[];
  invoke: unknown[];
  transitions: Map<string, XTransition[]>;
  always?: XTransition[];
  initial: { target: XNode[]; actions: unknown[] };
}

interface XTransition {
  target?: readonly XNode[];
  source: XNode;
  reenter: boolean;
  actions: readonly unknown[];
  guard?: unknown;
  eventType: string;
}

/* ---------- run-time state of one step ---------- */

interface Run {
  ctx: Record<string, unknown>;
  event: EventObject;
  leaf: Leaf;
  out: EmittedAction[];
  queue: EventObject[];
  /** An assign ran or the active states changed in the current microstep. */
  changed: boolean;
  /** { context, event, self, system } for the current context and event, made on demand. */
  args: ActionArgs | null;
  /** { context, event } likewise, for guards and params functions. */
  small: { context: Record<string, unknown>; event: EventObject } | null;
}

interface ActionArgs {
  context: Record<string, unknown>;
  event: EventObject;
  self: unknown;
  system: unknown;
}

type Exec = (r: Run) => void;
type Guard = (r: Run) => boolean;

interface Step {
  guard: Guard | null;
  /** Exit actions, the transition's actions, entry actions: the whole microstep. */
  execs: Exec[];
  /** The atomic state active after the microstep. */
  to: Leaf;
}

interface Leaf {
  node: XNode;
  value: StateValue;
  /** The atomic state and its ancestors, innermost first. */
  chain: XNode[];
  on: Map<string, Step[]>;
  /** Eventless transitions of the chain, innermost first, or null when there are none. */
  always: Step[] | null;
}

export interface CompiledMachine {
  readonly machine: AnyStateMachine;
  init(input: unknown): [AnyMachineSnapshot, EmittedAction[]];
  step(snapshot: AnyMachineSnapshot, event: EventObject): [AnyMachineSnapshot, EmittedAction[]];
}

export class UnsupportedMachineError extends Error {
  constructor(machine: AnyStateMachine, where: string, detail: string) {
    super(`machine "${machine.id}" cannot be compiled (${where}): ${detail}`);
    this.name = 'UnsupportedMachineError';
  }
}

/* ---------- the state-node geometry XState's microstep uses (no parallel, no history) ---------- */

function isDescendant(child: XNode, parent: XNode | undefined): boolean {
  let marker = child;
  while (marker.parent && marker.parent !== parent) marker = marker.parent;
  return marker.parent === parent;
}

function properAncestors(node: XNode, to: XNode | undefined): XNode[] {
  const out: XNode[] = [];
  if (to === node) return out;
  let m = node.parent;
  while (m && m !== to) {
    out.push(m);
    m = m.parent;
  }
  return out;
}

function leastCommonAncestor(nodes: XNode[]): XNode | undefined {
  const [head, ...tail] = nodes;
  for (const anc of properAncestors(head, undefined))
    if (tail.every((sn) => isDescendant(sn, anc))) return anc;
  return undefined;
}

interface TransitionShape {
  target?: readonly XNode[];
  source: XNode;
  reenter: boolean;
}

function transitionDomain(t: TransitionShape, root: XNode): XNode | undefined {
  const targets = t.target ? [...t.target] : [];
  if (!t.reenter && targets.every((tg) => tg === t.source || isDescendant(tg, t.source)))
    return t.source;
  const lca = leastCommonAncestor(targets.concat(t.source));
  if (lca) return lca;
  if (t.reenter) return undefined;
  return root;
}

function exitSet(t: TransitionShape, config: Set<XNode>, root: XNode): XNode[] {
  const out = new Set<XNode>();
  if (t.target?.length) {
    const domain = transitionDomain(t, root);
    if (t.reenter && t.source === domain) out.add(domain as XNode);
    for (const s of config) if (isDescendant(s, domain)) out.add(s);
  }
  return [...out].sort((a, b) => b.order - a.order);
}

function addDescendants(node: XNode, forDefault: Set<XNode>, toEnter: Set<XNode>): void {
  if (node.type === 'compound') {
    const [initial] = node.initial.target;
    toEnter.add(initial);
    forDefault.add(initial);
    addDescendants(initial, forDefault, toEnter);
    addAncestors(toEnter, properAncestors(initial, node), undefined);
  }
}

function addAncestors(toEnter: Set<XNode>, ancestors: XNode[], domain: XNode | undefined): void {
  for (const anc of ancestors) if (!domain || isDescendant(anc, domain)) toEnter.add(anc);
}

function entrySet(t: TransitionShape, root: XNode, forDefault: Set<XNode>): XNode[] {
  const toEnter = new Set<XNode>();
  const domain = transitionDomain(t, root);
  for (const s of t.target ?? []) {
    if (t.source !== s || t.source !== domain || t.reenter) {
      toEnter.add(s);
      forDefault.add(s);
    }
    addDescendants(s, forDefault, toEnter);
  }
  for (const s of t.target ?? [])
    addAncestors(
      toEnter,
      properAncestors(s, domain),
      !t.source.parent && t.reenter ? undefined : domain,
    );
  return [...toEnter].sort((a, b) => a.order - b.order);
}

/* ---------- the compiler ---------- */

const isFn = (x: unknown): x is (...a: unknown[]) => unknown => typeof x === 'function';

// Built-in guards are recognised by their check function (names may be minified).
const checkOf = (g: unknown) => (g as { check: unknown }).check;
const AND = checkOf(and([]));
const OR = checkOf(or([]));
const NOT = checkOf(not('x'));
const STATE_IN = checkOf(stateIn('x'));

export function compileMachine(machine: AnyStateMachine): CompiledMachine {
  const root = machine.root as unknown as XNode;
  const impl = machine.implementations as {
    actions: Record<string, unknown>;
    guards: Record<string, unknown>;
    delays: Record<string, unknown>;
  };
  const maxIterations =
    (machine as unknown as { options?: { maxIterations?: number } }).options?.maxIterations ??
    Infinity;

  const self = {
    id: machine.id,
    sessionId: machine.id,
    send: () => {
      throw new Error(`machine "${machine.id}": a machine may not send to itself through self`);
    },
    getSnapshot: () => undefined,
  };
  const system = {};
  const spawn = () => {
    throw new Error(`machine "${machine.id}": spawning actors is not supported by the simulator`);
  };

  const argsOf = (r: Run): ActionArgs =>
    (r.args ??= { context: r.ctx, event: r.event, self, system });
  const smallOf = (r: Run) => (r.small ??= { context: r.ctx, event: r.event });

  /* --- actions --- */

  const doAssign = (r: Run, assignment: unknown, params: unknown) => {
    const assignArgs = { context: r.ctx, event: r.event, spawn, self, system };
    let partial: Record<string, unknown>;
    if (isFn(assignment)) partial = assignment(assignArgs, params) as Record<string, unknown>;
    else {
      partial = {};
      const a = assignment as Record<string, unknown>;
      for (const key of Object.keys(a)) {
        const p = a[key];
        partial[key] = isFn(p) ? p(assignArgs, params) : p;
      }
    }
    r.ctx = Object.assign({}, r.ctx, partial);
    r.args = null;
    r.small = null;
    r.changed = true;
  };

  const doRaise = (r: Run, ev: unknown, id: unknown, delay: unknown, params: unknown) => {
    if (typeof ev === 'string')
      throw new Error(`Only event objects may be used with raise; use raise({ type: "${ev}" })`);
    const event = (isFn(ev) ? ev(argsOf(r), params) : ev) as EventObject;
    let resolved: unknown;
    if (typeof delay === 'string') {
      const d = impl.delays?.[delay];
      resolved = isFn(d) ? d(argsOf(r), params) : d;
    } else resolved = isFn(delay) ? delay(argsOf(r), params) : delay;
    if (typeof resolved !== 'number') r.queue.push(event);
    r.out.push({ type: 'xstate.raise', params: { event, id, delay: resolved } });
  };

  const doCancel = (r: Run, sendId: unknown, params: unknown) => {
    r.out.push({
      type: 'xstate.cancel',
      params: { sendId: isFn(sendId) ? sendId(argsOf(r), params) : sendId },
    });
  };

  /*
   * enqueueActions: collect first (against the context as it is now), then run in order.
   * One `enqueue` per compiled machine, writing to the list of the collect in progress
   * (saved and restored around each collect, so a nested one cannot mix them up): a step
   * allocates no closures for it. The list holds (tag, a, b, c) in a row per entry.
   */
  const Q_ACTION = 0;
  const Q_ASSIGN = 1;
  const Q_RAISE = 2;
  const Q_CANCEL = 3;
  let queued: unknown[] = [];
  const enqueue = (action: unknown) => {
    queued.push(Q_ACTION, action, undefined, undefined);
  };
  enqueue.assign = (assignment: unknown) => {
    queued.push(Q_ASSIGN, assignment, undefined, undefined);
  };
  enqueue.raise = (event: unknown, options?: { id?: string; delay?: unknown }) => {
    queued.push(Q_RAISE, event, options?.id, options?.delay);
  };
  enqueue.cancel = (sendId: unknown) => {
    queued.push(Q_CANCEL, sendId, undefined, undefined);
  };
  for (const name of ['sendTo', 'sendParent', 'spawnChild', 'stopChild', 'emit'])
    (enqueue as unknown as Record<string, unknown>)[name] = () => {
      throw new Error(
        `machine "${machine.id}": enqueue.${name} is not supported by the simulator (only send/broadcast actions, assign, raise and cancel are)`,
      );
    };
  /** An enqueued `{ type, params }` action that names a plain (non built-in) action. */
  const plainEmit = (action: unknown): EmittedAction | null => {
    if (!action || typeof action !== 'object') return null;
    const { type, params } = action as EmittedAction;
    if (typeof type !== 'string' || isFn(params)) return null;
    const resolved = impl.actions?.[type];
    if (resolved !== undefined && (!isFn(resolved) || isBuiltin(resolved))) return null;
    return { type, params: 'params' in action ? params : undefined };
  };

  const doEnqueue = (r: Run, collect: unknown, params: unknown) => {
    const outer = queued;
    const mine: unknown[] = [];
    queued = mine;
    const ctx = r.ctx;
    const event = r.event;
    const leaf = r.leaf;
    try {
      (collect as (a: unknown, p: unknown) => void)(
        {
          context: ctx,
          event,
          enqueue,
          check: (guard: unknown) => {
            const saved = r.ctx;
            r.ctx = ctx;
            r.leaf = leaf;
            try {
              return compileGuard(guard, 'enqueueActions check')(r);
            } finally {
              r.ctx = saved;
            }
          },
          self,
          system,
        },
        params,
      );
    } finally {
      queued = outer;
    }
    for (let i = 0; i < mine.length; i += 4) {
      const a = mine[i + 1];
      switch (mine[i]) {
        case Q_ASSIGN:
          doAssign(r, a, undefined);
          break;
        case Q_RAISE:
          doRaise(r, a, mine[i + 2], mine[i + 3], undefined);
          break;
        case Q_CANCEL:
          doCancel(r, a, undefined);
          break;
        default: {
          // the common case (a send or broadcast): emitted as it is, without compiling it
          const plain = plainEmit(a);
          if (plain) r.out.push(plain);
          else compileAction(a, 'enqueueActions')(r);
        }
      }
    }
  };

  const builtin = (fn: unknown, where: string): ((r: Run, params: unknown) => void) => {
    const b = fn as Record<string, unknown> & { type: string };
    switch (b.type) {
      case 'xstate.assign':
        return (r, p) => doAssign(r, b.assignment, p);
      case 'xstate.raise':
        if (typeof b.event === 'string')
          throw new UnsupportedMachineError(
            machine,
            where,
            `raise("${b.event}"): only event objects may be raised`,
          );
        return (r, p) => doRaise(r, b.event, b.id, b.delay, p);
      case 'xstate.cancel':
        return (r, p) => doCancel(r, b.sendId, p);
      case 'xstate.enqueueActions':
        return (r, p) => doEnqueue(r, b.collect, p);
      default:
        throw new UnsupportedMachineError(
          machine,
          where,
          `built-in action "${b.type}" is not supported (assign, raise, cancel and enqueueActions are)`,
        );
    }
  };

  const isBuiltin = (x: unknown) => isFn(x) && 'resolve' in x;

  function compileAction(action: unknown, where: string): Exec {
    if (isFn(action)) {
      if (isBuiltin(action)) {
        const run = builtin(action, where);
        return (r) => run(r, undefined);
      }
      const type = action.name || '(anonymous)';
      return (r) => {
        r.out.push({ type, params: undefined });
      };
    }
    let type: string;
    let params: unknown;
    let hasParams = false;
    if (typeof action === 'string') type = action;
    else if (
      action &&
      typeof action === 'object' &&
      typeof (action as EmittedAction).type === 'string'
    ) {
      type = (action as EmittedAction).type;
      hasParams = 'params' in action;
      params = (action as EmittedAction).params;
    } else
      throw new UnsupportedMachineError(
        machine,
        where,
        `an action must be a name, an object with a type, or a function`,
      );
    const resolved = impl.actions?.[type];
    if (resolved !== undefined && !isFn(resolved))
      throw new UnsupportedMachineError(
        machine,
        where,
        `action "${type}" is implemented by a ${typeof resolved}, not a function`,
      );
    const paramsFn = isFn(params) ? params : null;
    if (isBuiltin(resolved)) {
      const run = builtin(resolved, `${where}, action "${type}"`);
      if (paramsFn) return (r) => run(r, paramsFn(smallOf(r)));
      const p = hasParams ? params : undefined;
      return (r) => run(r, p);
    }
    if (paramsFn)
      return (r) => {
        r.out.push({ type, params: paramsFn(smallOf(r)) });
      };
    const p = hasParams ? params : undefined;
    return (r) => {
      r.out.push({ type, params: p });
    };
  }

  /* --- guards --- */

  function compileGuard(guard: unknown, where: string): Guard {
    if (isFn(guard)) {
      const check = checkOf(guard);
      if (check === undefined) return (r) => !!guard(smallOf(r), undefined);
      const g = guard as unknown as { guards?: unknown[]; stateValue?: StateValue };
      if (check === AND) {
        const parts = (g.guards ?? []).map((x) => compileGuard(x, where));
        return (r) => parts.every((p) => p(r));
      }
      if (check === OR) {
        const parts = (g.guards ?? []).map((x) => compileGuard(x, where));
        return (r) => parts.some((p) => p(r));
      }
      if (check === NOT) {
        const inner = compileGuard((g.guards ?? [])[0], where);
        return (r) => !inner(r);
      }
      if (check === STATE_IN) {
        const sv = g.stateValue as StateValue;
        if (typeof sv === 'string' && sv[0] === '#') {
          const target = machine.getStateNodeById(sv) as unknown as XNode;
          return (r) => r.leaf.chain.includes(target);
        }
        return (r) => matchesState(sv, r.leaf.value);
      }
      throw new UnsupportedMachineError(machine, where, 'an unknown built-in guard');
    }
    let type: string;
    let params: unknown;
    if (typeof guard === 'string') type = guard;
    else if (
      guard &&
      typeof guard === 'object' &&
      typeof (guard as { type: unknown }).type === 'string'
    ) {
      type = (guard as { type: string }).type;
      params = (guard as { params?: unknown }).params;
    } else
      throw new UnsupportedMachineError(
        machine,
        where,
        'a guard must be a name, an object with a type, or a function',
      );
    const resolved = impl.guards?.[type];
    if (resolved === undefined)
      throw new UnsupportedMachineError(machine, where, `guard "${type}" is not implemented`);
    if (!isFn(resolved)) return compileGuard(resolved, where);
    if (checkOf(resolved) !== undefined) return compileGuard(resolved, where);
    if (isFn(params))
      return (r) => {
        const a = smallOf(r);
        return !!resolved(a, params(a));
      };
    return (r) => !!resolved(smallOf(r), params);
  }

  /* --- states --- */

  const all: XNode[] = [];
  const visit = (n: XNode) => {
    all.push(n);
    for (const k of Object.keys(n.states)) visit(n.states[k]);
  };
  visit(root);

  for (const n of all) {
    const where = `state "${n.id}"`;
    if (n.type === 'parallel' || n.type === 'history' || n.type === 'final')
      throw new UnsupportedMachineError(machine, where, `${n.type} states are not supported`);
    if (n.invoke.length > 0)
      throw new UnsupportedMachineError(machine, where, 'invoked actors are not supported');
    for (const descriptor of n.transitions.keys())
      if (descriptor.includes('*'))
        throw new UnsupportedMachineError(
          machine,
          where,
          `wildcard event descriptor "${descriptor}" is not supported`,
        );
  }

  const execCache = new Map<unknown, Exec>();
  const execsOf = (actions: readonly unknown[], where: string): Exec[] =>
    actions.map((a) => {
      // named actions compile to the same closure wherever they appear
      if (typeof a === 'string') {
        let e = execCache.get(a);
        if (!e) execCache.set(a, (e = compileAction(a, where)));
        return e;
      }
      return compileAction(a, where);
    });

  const entryExecs = new Map<XNode, Exec[]>();
  const exitExecs = new Map<XNode, Exec[]>();
  const initialExecs = new Map<XNode, Exec[]>();
  for (const n of all) {
    entryExecs.set(n, execsOf(n.entry, `entry of state "${n.id}"`));
    exitExecs.set(n, execsOf(n.exit, `exit of state "${n.id}"`));
    initialExecs.set(
      n,
      n.type === 'compound' ? execsOf(n.initial.actions, `initial of "${n.id}"`) : [],
    );
  }

  const leaves = new Map<XNode, Leaf>();
  for (const n of all) {
    if (n.type !== 'atomic') continue;
    const chain = [n, ...properAncestors(n, undefined)];
    // a machine without child states has the empty state value, as in XState
    let value: StateValue = n === root ? {} : n.key;
    for (let m = n.parent; m && m.parent; m = m.parent) value = { [m.key]: value };
    leaves.set(n, { node: n, value, chain, on: new Map(), always: null });
  }

  /** The atomic state of a configuration (a state, its ancestors and nothing else). */
  const leafOf = (config: Set<XNode>, where: string): Leaf => {
    const atomic = [...config].filter((s) => s.type === 'atomic');
    const leaf = atomic.length === 1 ? leaves.get(atomic[0]) : undefined;
    if (!leaf || leaf.chain.length !== config.size || !leaf.chain.every((s) => config.has(s)))
      throw new UnsupportedMachineError(
        machine,
        where,
        'the transition does not end in one atomic state',
      );
    return leaf;
  };

  const plan = (
    t: TransitionShape & { actions: readonly unknown[] },
    config: Set<XNode>,
    isInitial: boolean,
    guard: Guard | null,
    where: string,
  ): Step => {
    const execs: Exec[] = [];
    const next = new Set(config);
    if (!isInitial)
      for (const s of exitSet(t, config, root)) {
        execs.push(...(exitExecs.get(s) as Exec[]));
        next.delete(s);
      }
    execs.push(...execsOf(t.actions, where));
    const forDefault = new Set<XNode>();
    const entering = t.target ? entrySet(t, root, forDefault) : [];
    if (isInitial) forDefault.add(root);
    for (const s of entering) {
      next.add(s);
      execs.push(...(entryExecs.get(s) as Exec[]));
      if (forDefault.has(s)) execs.push(...(initialExecs.get(s) as Exec[]));
    }
    return { guard, execs, to: leafOf(next, where) };
  };

  const guardCache = new Map<XTransition, Guard | null>();
  const guardOf = (t: XTransition, where: string) => {
    if (!guardCache.has(t))
      guardCache.set(t, t.guard === undefined ? null : compileGuard(t.guard, where));
    return guardCache.get(t) as Guard | null;
  };

  for (const leaf of leaves.values()) {
    const config = new Set(leaf.chain);
    const types = new Set<string>();
    for (const s of leaf.chain) for (const type of s.transitions.keys()) types.add(type);
    for (const type of types) {
      const steps: Step[] = [];
      for (const s of leaf.chain)
        for (const t of s.transitions.get(type) ?? []) {
          const where = `state "${s.id}", event "${type}"`;
          steps.push(plan(t, config, false, guardOf(t, where), where));
        }
      leaf.on.set(type, steps);
    }
    const always: Step[] = [];
    for (const s of leaf.chain)
      for (const t of s.always ?? []) {
        const where = `state "${s.id}", always`;
        always.push(plan(t, config, false, guardOf(t, where), where));
      }
    if (always.length > 0) leaf.always = always;
  }

  const initialTargets: XNode[] = [];
  const collectInitial = (n: XNode) => {
    if (initialTargets.includes(n)) return;
    initialTargets.push(n);
    if (n.type === 'compound') collectInitial(n.initial.target[0]);
  };
  collectInitial(root);
  const initialStep = plan(
    { target: initialTargets, source: root, reenter: true, actions: [] },
    new Set([root]),
    true,
    null,
    'initial state',
  );

  /* --- snapshots and the macrostep --- */

  class Snapshot {
    readonly status = 'active' as const;
    constructor(
      readonly value: StateValue,
      readonly context: Record<string, unknown>,
      readonly _leaf: Leaf,
    ) {}
    get machine() {
      return machine;
    }
    matches(v: StateValue) {
      return matchesState(v, this.value);
    }
  }

  const select = (steps: Step[] | null | undefined, r: Run): Step | null => {
    if (!steps) return null;
    for (let k = 0; k < steps.length; k++) {
      const s = steps[k];
      if (s.guard === null || s.guard(r)) return s;
    }
    return null;
  };

  const runStep = (s: Step, r: Run) => {
    const execs = s.execs;
    for (let k = 0; k < execs.length; k++) execs[k](r);
    if (s.to !== r.leaf) {
      r.leaf = s.to;
      r.changed = true;
    }
  };

  /** Eventless transitions and raised events until the machine is at rest (XState's macrostep loop). */
  const settle = (r: Run) => {
    let eventless = true;
    let iterations = 0;
    for (;;) {
      if (++iterations > maxIterations)
        throw new Error(
          `machine "${machine.id}": more than ${maxIterations} microsteps without reaching a stable state`,
        );
      const s = eventless && r.leaf.always !== null ? select(r.leaf.always, r) : null;
      if (s !== null) {
        r.changed = false;
        runStep(s, r);
        eventless = r.changed;
        continue;
      }
      if (r.queue.length === 0) return;
      r.event = r.queue.shift() as EventObject;
      r.args = null;
      r.small = null;
      const t = select(r.leaf.on.get(r.event.type), r);
      if (t !== null) runStep(t, r);
      eventless = true;
    }
  };

  const hasEventless = [...leaves.values()].some((l) => l.always !== null);

  /** One run per machine, reset by each step: steps are synchronous and never nested. */
  const run: Run = {
    ctx: {},
    event: { type: '' },
    leaf: initialStep.to,
    out: [],
    queue: [],
    changed: false,
    args: null,
    small: null,
  };
  const begin = (ctx: Record<string, unknown>, event: EventObject, leaf: Leaf): Run => {
    const r = run;
    r.ctx = ctx;
    r.event = event;
    r.leaf = leaf;
    r.out = [];
    r.queue.length = 0;
    r.changed = false;
    r.args = null;
    r.small = null;
    return r;
  };

  return {
    machine,
    init(input) {
      const initEvent = { type: 'xstate.init', input } as EventObject;
      const config = (machine as unknown as { config: { context?: unknown } }).config.context;
      let ctx = (!isFn(config) && config ? config : {}) as Record<string, unknown>;
      if (isFn(config)) ctx = Object.assign({}, ctx, config({ spawn, input, self }));
      const r = begin(ctx, initEvent, initialStep.to);
      runStep(initialStep, r);
      settle(r);
      return [new Snapshot(r.leaf.value, r.ctx, r.leaf) as unknown as AnyMachineSnapshot, r.out];
    },
    step(snapshot, event) {
      const snap = snapshot as unknown as Snapshot;
      const from = snap._leaf;
      if (from === undefined)
        throw new Error(`machine "${machine.id}": not a snapshot of the compiled driver`);
      const r = begin(snap.context, event, from);
      const t = select(from.on.get(event.type), r);
      if (t !== null) runStep(t, r);
      if (hasEventless || r.queue.length > 0) settle(r);
      if (r.ctx === snap.context && r.leaf === from) return [snapshot, r.out];
      return [new Snapshot(r.leaf.value, r.ctx, r.leaf) as unknown as AnyMachineSnapshot, r.out];
    },
  };
}
