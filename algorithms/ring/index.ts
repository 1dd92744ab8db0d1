/**
 * Ring elections (Chang-Roberts and collect-ids) as one plug-in: the engine's model
 * (model.ts) plus what people see: words, message kinds, narration, presets and lessons.
 */
import type { AlgorithmDefinition, RoleClass } from '../core/definition';
import { ringBusy, ringDefaults, ringModel, ringParamsSchema, type RingParams } from './model';
import type { RingContext } from './machine';
import { narrateRing } from './narration';
import { ringLessons } from './lessons';
import { ringDowntimeNote, ringMessageCost } from './messageCost';

const ROLE_OF: Record<string, RoleClass> = {
  follower: 'follower',
  candidate: 'candidate',
  waiting: 'candidate',
  leader: 'leader',
};

export const ring: AlgorithmDefinition<RingParams> = {
  ...ringModel,
  title: 'Ring',
  description:
    'Ring election: the nodes form a logical ring in their listed order, and election messages ' +
    'only ever go to the next node, which acknowledges them; a node whose successor does not ' +
    'acknowledge in time skips it and sends to the one after. A node that notices the leader is ' +
    'gone (its heartbeats stopped) or that has just booted starts an election. In the ' +
    'Chang-Roberts variant the ELECTION message carries one id: a node passes on only ids ' +
    'higher than its own and puts its own id in place of a lower one, so the highest id is the ' +
    'only one to come all the way back; its owner then sends ELECTED round the ring. In the ' +
    'collect-ids variant the message gathers the id of every node it passes; back at its ' +
    'initiator, the highest id in the list is the leader and a COORDINATOR message goes round ' +
    'once. A single lost message stalls the election until a timeout.',
  params: ringParamsSchema,
  defaults: ringDefaults,
  vocabulary: { leader: 'coordinator', epoch: 'epoch' },
  leaderRule: 'highest-id',
  roles: ['leader', 'candidate', 'waiting', 'follower'],
  look(summary) {
    if (summary.role === 'leader') return { text: 'COORDINATOR', glyph: '★' };
    return undefined;
  },
  roleOf: (state) => ROLE_OF[state] ?? 'other',
  initialRole: 'candidate',
  stateWords: {
    follower: 'a follower',
    candidate: 'a candidate',
    waiting: 'waiting for the result',
    leader: 'the coordinator',
  },
  messages: {
    ELECTION: { kind: 'request', text: 'One hop of an election, to the successor on the ring' },
    ELECTED: { kind: 'announcement', text: 'Chang-Roberts: the winner’s announcement, once round' },
    COORDINATOR: {
      kind: 'announcement',
      text: 'Collect-ids: the result, once round from the initiator',
    },
    ACK: { kind: 'ack', text: '“Got your hop”: the successor is alive' },
    HEARTBEAT: { kind: 'heartbeat', text: 'The coordinator’s periodic “still alive”' },
  },
  timers: {
    FAILURE: 'No heartbeat from the coordinator for the failure timeout',
    ACK_TIMEOUT: 'The successor did not acknowledge a hop in time',
    COORDINATOR_TIMEOUT: 'No result of the election came in time',
    TICK: 'The coordinator’s heartbeat interval',
    ALONE: 'Every other node is suspected: this one leads itself',
    TIMEOUT: 'A failure detection forced by the user',
  },
  ringOrder: true,
  epochText: (s) => (s.term === undefined ? '' : `epoch ${s.term}`),
  contextFields: {
    config: ['variant', 'heartbeat', 'failureTimeout', 'baseAckTimeout', 'coordinatorTimeout'],
    micros: [
      'heartbeat',
      'failureTimeout',
      'ackTimeout',
      'baseAckTimeout',
      'coordinatorTimeout',
      'electingSince',
    ],
  },
  narrate: narrateRing,
  facts({ context }) {
    const c = context as RingContext | undefined;
    if (!c) return [];
    const next = c.order[(c.pos + 1) % c.order.length];
    return [
      {
        label: 'coordinator',
        value: c.leader === null ? 'unknown' : `node ${c.leader}`,
        hint: 'Whom this node believes leads',
      },
      { label: 'successor', value: `node ${next}`, hint: 'The next node on the logical ring' },
      {
        label: 'suspected',
        value: c.suspected.length === 0 ? 'nobody' : c.suspected.join(', '),
        hint: 'Nodes skipped because they did not acknowledge in time',
      },
      { label: 'variant', value: c.variant, hint: 'Chang-Roberts or collect-ids' },
    ];
  },
  presets: [],
  lessons: ringLessons,
  heartbeatMs: (p) => p.heartbeat,
  busy: ringBusy,
  experiments: { messageCost: ringMessageCost, downtimeNote: ringDowntimeNote },
};
