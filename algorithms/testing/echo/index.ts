/**
 * The echo algorithm's definition: everything the engine and the app know about it. It is
 * hidden from the pickers (`testOnly`) unless the page is opened with `?test-algorithms`.
 */
import type { AnyMachineSnapshot } from 'xstate';
import { z } from 'zod';
import type { AlgorithmDefinition } from '../../core/definition';
import { ms } from '../../sim/time';
import type { MessageBody, NodeInput, NodeSummary } from '../../sim/types';
import { echoMachine, type EchoContext, type EchoInput, type EchoMessage } from './machine';

const paramsSchema = z
  .object({
    /** ms between two PINGs of the leader. */
    interval: z.number().finite().min(1).max(60_000).default(100),
  })
  .strict();

type EchoParams = z.infer<typeof paramsSchema>;

export const echo: AlgorithmDefinition<EchoParams> = {
  name: 'echo',
  machine: echoMachine,
  termSafety: false,
  input: ({ id, peers, params }: NodeInput<EchoParams>): EchoInput => ({
    id,
    peers,
    interval: ms(params.interval),
  }),
  summary(snapshot: AnyMachineSnapshot): NodeSummary {
    const c = snapshot.context as EchoContext;
    return { role: snapshot.value === 'leading' ? 'leader' : 'follower', leader: c.leader };
  },
  label: (body: MessageBody) => {
    const m = body as unknown as EchoMessage;
    return `${m.type} from ${m.from}`;
  },
  heartbeatTypes: ['PING', 'ECHO'],

  title: 'Echo (test)',
  description:
    'A test algorithm: the lowest id leads from boot and pings everyone; the others echo.',
  params: paramsSchema,
  defaults: paramsSchema.parse({}),
  vocabulary: { leader: 'leader', epoch: 'round' },
  leaderRule: 'term',
  roles: ['leader', 'follower'],
  roleOf: (state) =>
    state === 'leading' ? 'leader' : state === 'listening' ? 'follower' : 'other',
  initialRole: 'follower',
  stateWords: { leading: 'the leader', listening: 'listening', booting: 'booting' },
  messages: {
    PING: { kind: 'heartbeat', text: 'The leader’s periodic ping' },
    ECHO: { kind: 'ack', text: 'A listener’s answer to a ping' },
  },
  timers: { TICK: 'The leader’s ping interval' },
  narrate(r) {
    if (r.kind === 'deliver' && r.type === 'PING')
      return `Node ${r.node} hears a PING from node ${r.from} and echoes it`;
    if (r.kind === 'deliver' && r.type === 'ECHO')
      return `Node ${r.node} hears the ECHO of node ${r.from}`;
    if (r.kind === 'timer' && r.type === 'TICK') return `Node ${r.node} pings everyone again`;
    return null;
  },
  facts({ context }) {
    const c = context as EchoContext | undefined;
    if (!c) return [];
    return [
      {
        label: 'heard',
        value: String(c.heard),
        hint: 'Echoes heard by the leader, or pings answered by a listener',
      },
    ];
  },
  presets: [],
  lessons: [],
  heartbeatMs: (p) => p.interval,
  testOnly: true,
};
