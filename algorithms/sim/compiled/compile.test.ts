/**
 * The compiler on XState features the algorithms may use but do not all use today:
 * nested states with entry / exit / initial actions, re-entering and targetless
 * transitions, root-level `.child` and `#id` targets, eventless transitions, guards with
 * params and and / or / not / stateIn, assign (object and function), raise with and
 * without delay (named and function delays), cancel, enqueueActions, `after`. A random
 * event sequence is fed to the compiled machine and to XState's official transition();
 * state value, context and the executable actions must agree after every event.
 * Features the compiler does not support must be refused when the driver is created.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  and,
  assign,
  cancel,
  enqueueActions,
  initialTransition,
  log,
  not,
  or,
  raise,
  setup,
  stateIn,
  transition,
  type AnyMachineSnapshot,
  type AnyStateMachine,
  type EventObject,
} from 'xstate';
import { createDriver } from '../driver';
import { compileMachine } from './compile';

interface Ctx {
  n: number;
  trail: string[];
}
type Ev = { type: string; k: number };

const synthetic = setup({
  types: { context: {} as Ctx, events: {} as Ev, input: {} as { n: number } },
  actions: {
    send: (_, _p: unknown) => {},
    bump: assign({ n: ({ context }) => (context.n + 1) % 101 }),
    note: assign(({ context, event }, p: { tag: string }) => ({
      trail: [...context.trail, `${p.tag}:${event.type}`].slice(-6),
    })),
    tick: raise({ type: 'TICK', k: 0 }, { id: 'tick', delay: 'short' }),
    many: enqueueActions(({ context, event, enqueue: q, check: c }) => {
      // loosely typed: setup() does not let enqueueActions see its sibling names
      const enqueue = q as unknown as ((a: unknown) => void) & typeof q;
      const check = c as unknown as (g: unknown) => boolean;
      enqueue.assign({ n: (context.n * 3 + (event as Ev).k) % 101 });
      if (check('even')) enqueue.raise({ type: 'EVEN', k: context.n });
      if (check({ type: 'above', params: { min: 40 } }))
        enqueue.raise({ type: 'LATER', k: 1 }, { id: 'later', delay: context.n });
      enqueue.cancel('tick');
      enqueue({ type: 'send', params: { to: context.n, message: { type: 'M', from: 1 } } });
      enqueue('bump');
      enqueue('inner');
    }),
    /** An enqueueActions run from another one's queue: its own list, then the outer one's rest. */
    inner: enqueueActions(({ context, enqueue: q }) => {
      const enqueue = q as unknown as ((a: unknown) => void) & typeof q;
      enqueue.assign({ n: (context.n + 7) % 101 });
      enqueue({ type: 'send', params: { to: context.n, message: { type: 'I', from: 2 } } });
    }),
  },
  guards: {
    even: ({ context }) => context.n % 2 === 0,
    above: ({ context }, p: { min: number }) => context.n > p.min,
    small: ({ event }) => (event as Ev).k < 5,
  },
  delays: { short: ({ context }) => 10 + context.n },
}).createMachine({
  id: 'synthetic',
  context: ({ input }) => ({ n: input.n, trail: [] }),
  initial: 'boot',
  entry: { type: 'note', params: { tag: 'root-entry' } },
  on: {
    RESET: { target: '.a', reenter: true, actions: { type: 'note', params: { tag: 'reset' } } },
    JUMP: { target: '#synthetic.b.deep', actions: 'bump' },
    CHAIN: '.c1',
    EVEN: { actions: { type: 'note', params: { tag: 'even' } } },
    LATER: { target: '.b', actions: cancel('tick') },
    PING: {
      actions: {
        type: 'send',
        params: ({ context, event }: { context: Ctx; event: Ev }) => ({
          to: event.k,
          message: { type: 'PONG', from: context.n },
        }),
      },
    },
  },
  states: {
    boot: { always: [{ guard: 'even', target: 'a' }, { target: 'b' }] },
    // eventless transitions in a row: c1 always moves on, c2 when even
    c1: { always: { target: 'c2', actions: 'bump' } },
    c2: { always: { guard: 'even', target: 'a' }, on: { GO: 'b' } },
    a: {
      entry: ['tick', { type: 'note', params: { tag: 'a-in' } }],
      exit: [cancel('tick'), { type: 'note', params: { tag: 'a-out' } }],
      on: {
        GO: [
          { guard: and(['even', not({ type: 'above', params: { min: 50 } })]), target: 'b' },
          { guard: or(['small', { type: 'above', params: { min: 80 } }]), actions: 'many' },
          { actions: 'bump' },
        ],
        SELF: { target: 'a', reenter: true, actions: 'bump' },
        STAY: { target: 'a', actions: { type: 'note', params: { tag: 'stay' } } },
        TICK: { actions: ['bump', 'tick'] },
        EVEN: { guard: stateIn('#synthetic.a'), actions: raise({ type: 'PING', k: 2 }) },
      },
    },
    b: {
      initial: { target: 'x', actions: { type: 'note', params: { tag: 'b-initial' } } },
      entry: raise(({ context }) => ({ type: 'TICK', k: context.n }), {
        id: 'btick',
        delay: ({ context }) => context.n * 2,
      }),
      exit: cancel('btick'),
      on: {
        GO: { target: 'a', actions: 'many' },
        NEXT: '.y',
        UP: { target: '#synthetic.a' },
      },
      states: {
        x: {
          entry: { type: 'note', params: { tag: 'x-in' } },
          on: { NEXT: 'y', STAY: { target: 'x', reenter: true } },
          after: { 30: 'deep' },
        },
        y: {
          always: { guard: 'even', target: 'x', actions: 'bump' },
          on: { TICK: { actions: ['bump'] } },
        },
        deep: {
          entry: ['bump', raise({ type: 'EVEN', k: 9 })],
          on: { GO: { guard: stateIn({ b: 'deep' }), target: '#synthetic.a' } },
        },
      },
    },
  },
});

const plain = (actions: readonly { type: string; params?: unknown }[]) =>
  actions.map((a) => ({ type: a.type, params: a.params }));

const EVENTS = [
  'CHAIN',
  'GO',
  'SELF',
  'STAY',
  'RESET',
  'JUMP',
  'NEXT',
  'UP',
  'TICK',
  'EVEN',
  'LATER',
  'PING',
  'NOPE',
];

describe('compiled machines', () => {
  it('agree with transition() on a machine using every supported feature', () => {
    const compiled = compileMachine(synthetic);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }),
        fc.array(
          fc.record({ type: fc.constantFrom(...EVENTS), k: fc.integer({ min: 0, max: 9 }) }),
          { maxLength: 40 },
        ),
        (n, events) => {
          let [off, offActions] = initialTransition(synthetic, { n });
          let [mine, mineActions] = compiled.init({ n });
          const check = (where: string) => {
            expect(mine.value, where).toEqual(off.value);
            expect(mine.context, where).toEqual(off.context);
            expect(mine.status, where).toBe(off.status);
            expect(plain(mineActions), where).toEqual(plain(offActions));
          };
          check('initial');
          for (const [i, e] of events.entries()) {
            [off, offActions] = transition(synthetic, off, e);
            [mine, mineActions] = compiled.step(mine, e);
            check(`event ${i} ${e.type}`);
          }
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });

  it('return the same snapshot when nothing was assigned and no state changed', () => {
    const c = compileMachine(synthetic);
    const [s0] = c.init({ n: 1 }); // odd: boot -> b.x
    const [s1, actions] = c.step(s0, { type: 'NOPE', k: 0 } as EventObject);
    expect(s1).toBe(s0);
    expect(actions).toEqual([]);
    const [s2] = c.step(s1, { type: 'NEXT', k: 0 } as EventObject);
    expect(s2).not.toBe(s1);
    expect(s2.value).toEqual({ b: 'y' });
    expect((s2 as AnyMachineSnapshot).matches({ b: 'y' })).toBe(true);
  });
});

describe('unsupported XState features are refused when the driver is created', () => {
  const refuses = (machine: AnyStateMachine, pattern: RegExp) =>
    expect(() => createDriver(machine, 'compiled')).toThrow(pattern);

  it('parallel states, naming the machine and the state', () => {
    const m = setup({}).createMachine({
      id: 'par',
      initial: 'p',
      states: { p: { type: 'parallel', states: { l: {}, r: {} } } },
    });
    refuses(m, /machine "par".*state "par\.p".*parallel/);
  });

  it('history and final states', () => {
    const h = setup({}).createMachine({
      id: 'hist',
      initial: 'a',
      states: { a: { initial: 'x', states: { x: {}, hx: { type: 'history' } } } },
    });
    refuses(h, /machine "hist".*state "hist\.a\.hx".*history/);
    const f = setup({}).createMachine({
      id: 'fin',
      initial: 'a',
      states: { a: { on: { E: 'done' } }, done: { type: 'final' } },
    });
    refuses(f, /machine "fin".*state "fin\.done".*final/);
  });

  it('built-in actions other than assign, raise, cancel and enqueueActions', () => {
    const m = setup({}).createMachine({
      id: 'logs',
      initial: 'a',
      states: { a: { on: { E: { actions: log('hello') } } } },
    });
    refuses(m, /machine "logs".*state "logs\.a", event "E".*xstate\.log/);
  });

  it('a guard that is not implemented', () => {
    const m = createMachineWithGuard();
    refuses(m, /machine "guarded".*state "guarded\.a", event "E".*guard "missing"/);
  });

  it('invoked actors and wildcard events', () => {
    const inv = setup({}).createMachine({
      id: 'inv',
      initial: 'a',
      states: { a: { invoke: { src: 'nothing' } } },
    } as never) as unknown as AnyStateMachine;
    expect(() => createDriver(inv, 'compiled')).toThrow(/machine "inv".*invoked actors/);
    const wild = setup({}).createMachine({
      id: 'wild',
      initial: 'a',
      states: { a: { on: { '*': 'a' } } },
    });
    refuses(wild, /machine "wild".*wildcard/);
  });

  it('every machine of every registered algorithm compiles (each role of each)', async () => {
    const { algorithms } = await import('../../registry');
    const { createSimulation } = await import('../../index');
    for (const def of algorithms) {
      const n = Math.max(def.minNodes ?? 1, 5);
      const sim = createSimulation({
        v: 1,
        algorithm: def.name,
        nodes: Array.from({ length: n }, (_, i) => ({ id: i + 1 })),
        network: { latency: { min: 10, max: 15 } },
        seed: 1,
      });
      expect(sim.machines().length).toBeGreaterThan(0);
      for (const m of sim.machines()) expect(() => createDriver(m, 'compiled')).not.toThrow();
    }
  });
});

function createMachineWithGuard(): AnyStateMachine {
  return setup({}).createMachine({
    id: 'guarded',
    initial: 'a',
    states: { a: { on: { E: { guard: 'missing' as never, target: 'a' } } } },
  }) as unknown as AnyStateMachine;
}
