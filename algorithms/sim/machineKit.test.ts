import { describe, expect, it } from 'vitest';
import { assign, enqueueActions, setup } from 'xstate';
import { DRIVER_PATHS, createDriver } from './driver';
import { eventOf, messageKit, senderOf, startTimer } from './machineKit';

type Msg = { type: 'HI'; from: number; n: number } | { type: 'BYE'; from: number };
type Ev =
  (Msg & { rand: number }) | { type: 'TICK'; rand: number } | { type: 'POKE'; rand: number };

const kit = messageKit<Msg>();

/**
 * A machine that uses every part of the kit. POKE is deliberately routed to a guard and
 * an action that narrow to HI: a modelling mistake the kit must turn into an error.
 */
const machine = setup({
  types: { context: {} as { id: number; last: number }, events: {} as Ev },
  actions: {
    ...kit.actions,
    tick: startTimer({ type: 'TICK', rand: 0 }, 'tick', 'period'),
    soon: startTimer({ type: 'TICK', rand: 0 }, 'soon', 7),
    reply: enqueueActions(({ context, event, enqueue }) => {
      const e = eventOf(event, 'HI');
      kit.enqueueSend(enqueue, e.from, { type: 'BYE', from: context.id });
      kit.enqueueBroadcast(enqueue, { type: 'HI', from: context.id, n: e.n + 1 });
      enqueue.assign({ last: senderOf(event) });
    }),
    readHi: assign(({ event }) => ({ last: eventOf(event, 'HI').n })),
    readSender: assign(({ event }) => ({ last: senderOf(event) })),
  },
  guards: {
    bigHi: ({ event }) => eventOf(event, ['HI']).n > 10,
  },
  delays: { period: 1000 },
}).createMachine({
  id: 'kit-test',
  context: { id: 1, last: 0 },
  entry: ['tick', 'soon', kit.sendTo(2, { type: 'BYE', from: 1 })],
  on: {
    HI: [
      { guard: 'bigHi', actions: kit.broadcast({ type: 'BYE', from: 1 }) },
      {
        actions: [
          'reply',
          kit.sendWith(({ event }: { event: Ev }) => ({
            to: senderOf(event),
            message: { type: 'BYE', from: 1 },
          })),
        ],
      },
    ],
    BYE: { actions: 'readHi' },
    POKE: { guard: 'bigHi' },
    TICK: { actions: 'readSender' },
  },
});

const plain = (actions: readonly { type: string; params?: unknown }[]) =>
  actions.map((a) => ({ type: a.type, params: a.params }));

describe('machine kit', () => {
  it('send, broadcast and timers reach the engine as the same actions on every driver path', () => {
    const runs = DRIVER_PATHS.map((path) => {
      const d = createDriver(machine, path);
      const [s0, a0] = d.init(undefined);
      const [s1, a1] = d.step(s0, { type: 'HI', from: 3, n: 4, rand: 0 } as Ev);
      const [, a2] = d.step(s1, { type: 'HI', from: 5, n: 11, rand: 0 } as Ev);
      return { init: plain(a0), hi: plain(a1), bigHi: plain(a2), last: s1.context.last };
    });
    for (const r of runs) expect(r).toEqual(runs[0]);
    const [r] = runs;
    expect(r.init).toEqual([
      {
        type: 'xstate.raise',
        params: expect.objectContaining({
          event: { type: 'TICK', rand: 0 },
          id: 'tick',
          delay: 1000,
        }) as unknown,
      },
      {
        type: 'xstate.raise',
        params: expect.objectContaining({
          event: { type: 'TICK', rand: 0 },
          id: 'soon',
          delay: 7,
        }) as unknown,
      },
      { type: 'send', params: { to: 2, message: { type: 'BYE', from: 1 } } },
    ]);
    expect(r.hi).toEqual([
      { type: 'send', params: { to: 3, message: { type: 'BYE', from: 1 } } },
      { type: 'broadcast', params: { message: { type: 'HI', from: 1, n: 5 } } },
      { type: 'send', params: { to: 3, message: { type: 'BYE', from: 1 } } },
    ]);
    expect(r.last).toBe(3);
    expect(r.bigHi).toEqual([{ type: 'broadcast', params: { message: { type: 'BYE', from: 1 } } }]);
  });

  it.each(DRIVER_PATHS)('a guard that narrows to the wrong event throws (%s driver)', (path) => {
    const d = createDriver(machine, path);
    const [s0] = d.init(undefined);
    expect(() => d.step(s0, { type: 'POKE', rand: 0 } as Ev)).toThrow(/POKE/);
  });

  it.each(DRIVER_PATHS)('senderOf throws on an event without a sender (%s driver)', (path) => {
    const d = createDriver(machine, path);
    const [s0] = d.init(undefined);
    expect(() => d.step(s0, { type: 'TICK', rand: 0 } as Ev)).toThrow(/from/);
  });

  it('eventOf returns the event it accepts, senderOf its sender', () => {
    const e = { type: 'HI', from: 4, n: 2, rand: 9 } as Ev;
    expect(eventOf(e, ['BYE', 'HI'])).toBe(e);
    expect(senderOf(e)).toBe(4);
    expect(() => eventOf(e, 'BYE')).toThrow(/BYE/);
    expect(() => senderOf({ type: 'X', from: '4' } as { type: string })).toThrow();
  });
});
