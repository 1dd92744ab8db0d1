/**
 * Bully as one plug-in: the engine's model (model.ts) plus what people see: words,
 * message kinds, narration, presets and lessons.
 */
import type { AlgorithmDefinition, RoleClass } from '../core/definition';
import { bullyBusy, bullyDefaults, bullyModel, bullyParamsSchema, type BullyParams } from './model';
import type { BullyContext } from './machine';
import { narrateBully } from './narration';
import { bullyLessons } from './lessons';
import { bullyDowntimeNote, bullyMessageCost } from './messageCost';

const ROLE_OF: Record<string, RoleClass> = {
  follower: 'follower',
  candidate: 'candidate',
  waiting: 'candidate',
  leader: 'leader',
};

export const bully: AlgorithmDefinition<BullyParams> = {
  ...bullyModel,
  title: 'Bully',
  description:
    'Bully (Garcia-Molina, 1982): the highest id that is alive leads. A node that notices the ' +
    'coordinator is gone (its heartbeats stopped) or that has just booted holds an election: it ' +
    'sends ELECTION to every higher id. Any higher node that is alive replies ANSWER (OK) and ' +
    'holds its own election, so the lower node steps back and waits for a COORDINATOR message; ' +
    'if nobody answers within the answer timeout, the node declares itself coordinator and tells ' +
    'every lower id. A node that was answered but hears no COORDINATOR in time starts over. A ' +
    'restarted higher node therefore bullies its way back to the top. Under a partition each ' +
    'side elects its own coordinator (split brain) until the higher one is heard again.',
  params: bullyParamsSchema,
  defaults: bullyDefaults,
  vocabulary: { leader: 'coordinator', epoch: 'term' },
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
    waiting: 'waiting for a coordinator',
    leader: 'the coordinator',
  },
  messages: {
    ELECTION: { kind: 'request', text: '“Is anyone above me alive?”, sent to every higher id' },
    ANSWER: { kind: 'granted', text: 'OK: a higher node is alive and takes over the election' },
    COORDINATOR: { kind: 'announcement', text: '“I am the coordinator”, sent to every lower id' },
    HEARTBEAT: { kind: 'heartbeat', text: 'The coordinator’s periodic “still alive”' },
  },
  timers: {
    FAILURE: 'No heartbeat from the coordinator for the failure timeout',
    ANSWER_TIMEOUT: 'No higher node answered the ELECTION in time',
    COORDINATOR_TIMEOUT: 'Answered, but no COORDINATOR came in time',
    TICK: 'The coordinator’s heartbeat interval',
    WIN: 'An election with nobody above is won at once',
    TIMEOUT: 'A failure detection forced by the user',
  },
  contextFields: {
    config: ['heartbeat', 'failureTimeout', 'answerTimeout', 'coordinatorTimeout'],
    micros: ['heartbeat', 'failureTimeout', 'answerTimeout', 'coordinatorTimeout'],
  },
  narrate: narrateBully,
  facts({ context }) {
    const c = context as BullyContext | undefined;
    if (!c) return [];
    return [
      {
        label: 'coordinator',
        value: c.leader === null ? 'unknown' : `node ${c.leader}`,
        hint: 'Whom this node believes leads',
      },
      {
        label: 'higher ids',
        value: c.higher.length === 0 ? 'none: it wins any election' : c.higher.join(', '),
        hint: 'ELECTION goes to these nodes',
      },
    ];
  },
  presets: [],
  lessons: bullyLessons,
  heartbeatMs: (p) => p.heartbeat,
  busy: bullyBusy,
  experiments: { messageCost: bullyMessageCost, downtimeNote: bullyDowntimeNote },
};
