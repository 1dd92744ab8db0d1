/**
 * Bully lessons. Each caption is tied to a moment of its run (a predicate over the state
 * after an event) and its claims are checked by the tests at that moment. The runs start
 * at boot, so the first captions narrate the boot election.
 */
import { at, healAll, kill, partition, restart } from '../sim/faults';
import {
  actionAt,
  becomes,
  roles,
  type Caption,
  type Lesson,
  type LessonProbe,
} from '../core/lesson';
import { listed } from '../core/words';

const nodes = [1, 2, 3, 4, 5].map((id) => ({ id }));
const net = { latency: { min: 10, max: 15 }, loss: 0, fifo: false };

/** Every id in `ids` follows `leader`. */
const follow = (ids: readonly number[], leader: number) => (p: LessonProbe) =>
  ids.every((id) => p.node(id).role === 'follower' && p.node(id).leader === leader);

const withRole = (p: LessonProbe, role: string) =>
  p.nodes.filter((n) => n.alive && n.role === role).map((n) => n.id);

const splitBrainSeen = (p: LessonProbe) => p.violations.some((v) => v.invariant === 'split-brain');

/** The boot: every node holds an election; node 5 wins at once and the others follow it. */
const boot: Caption[] = [
  {
    text: 'Five nodes boot. A booting node holds an election: it sends ELECTION to every higher id. Node 5, the highest, has nobody above it and declares itself coordinator at once.',
    claims: [{ kind: 'role', node: 5, role: 'leader' }, ...roles([1, 2, 3, 4], 'candidate')],
  },
  {
    when: (p) =>
      follow([1, 2, 3, 4], 5)(p) &&
      !p.inFlight.some((m) => m.type === 'ELECTION' || m.type === 'ANSWER'),
    text: 'The boot elections settle: every node follows node 5, the highest id alive. In Bully the highest id that is alive leads; the coordinator sends heartbeats.',
    claims: [...roles([1, 2, 3, 4], 'follower'), { kind: 'leader', node: 5 }],
  },
];

export const bullyLessons: Lesson[] = [
  {
    name: 'lesson-bully-recovery',
    title: 'Bully: the highest node recovers and bullies its way back',
    algorithm: 'bully',
    summary: 'Node 5 crashes, node 4 takes over, node 5 restarts and takes leadership back.',
    scenario: {
      v: 1,
      algorithm: 'bully',
      params: {},
      nodes,
      network: net,
      seed: 1,
      actions: [...at(1000, kill(5)), ...at(3000, restart(5))],
    },
    until: 3100,
    captions: [
      ...boot,
      {
        when: actionAt(1000),
        text: 'Node 5 crashes. The heartbeats stop.',
        claims: [
          { kind: 'role', node: 5, role: 'dead' },
          { kind: 'leader', node: null },
        ],
      },
      {
        when: (p) => p.record?.type === 'FAILURE',
        text: (p) =>
          `Node ${p.record?.node} hears no heartbeat within the failure timeout: it holds an election and sends ELECTION to every higher id.`,
        claims: [
          {
            kind: 'fact',
            text: 'the node whose failure timer fired is a candidate',
            holds: (p) => p.record !== null && p.node(p.record.node).role === 'candidate',
          },
        ],
      },
      {
        when: (p) => withRole(p, 'waiting').length > 0,
        text: (p) =>
          `A higher node that is alive answers OK and holds its own election. Node ${withRole(p, 'waiting')[0]} got such an answer: it steps back and waits for a COORDINATOR message.`,
        claims: [
          {
            kind: 'fact',
            text: 'exactly the nodes named wait for a coordinator',
            holds: (p) => withRole(p, 'waiting').length === 1,
          },
        ],
      },
      {
        when: becomes(4, 'leader'),
        text: "Node 4's ELECTION to node 5 gets no answer. When the answer timeout runs out, node 4 declares itself coordinator and sends COORDINATOR to every lower id.",
        claims: [
          { kind: 'role', node: 4, role: 'leader' },
          { kind: 'leader', node: 4 },
        ],
      },
      {
        when: follow([1, 2, 3], 4),
        text: 'COORDINATOR from node 4 has reached every lower node: nodes 1, 2 and 3 follow node 4.',
        claims: [...roles([1, 2, 3], 'follower'), { kind: 'leader', node: 4 }],
      },
      {
        when: actionAt(3000),
        text: 'Node 5 restarts. A booting node holds an election; nobody is higher, so it declares itself coordinator at once. Until node 4 hears it, two nodes believe they lead: the checks record a split-brain warning.',
        claims: [
          ...roles([4, 5], 'leader'),
          { kind: 'fact', text: 'a split-brain warning is recorded', holds: splitBrainSeen },
        ],
      },
      {
        when: (p) => p.record?.node === 4 && p.node(4).role === 'follower',
        text: "Node 4 receives node 5's COORDINATOR and steps down: node 5 has bullied its way back to the top, and the split brain is over.",
        claims: [
          { kind: 'role', node: 4, role: 'follower' },
          { kind: 'leader', node: 5 },
          {
            kind: 'fact',
            text: 'only node 5 believes it leads',
            holds: (p) => withRole(p, 'leader').length === 1,
          },
        ],
      },
    ],
  },
  {
    name: 'lesson-bully-partition',
    title: 'Bully under a partition: two coordinators',
    algorithm: 'bully',
    summary: 'Each side of a partition elects its own coordinator (split brain) until the heal.',
    scenario: {
      v: 1,
      algorithm: 'bully',
      params: {},
      nodes,
      network: net,
      seed: 1,
      actions: [...at(1000, partition([1, 2, 3], [4, 5])), ...at(3000, healAll())],
    },
    until: 3100,
    captions: [
      ...boot,
      {
        when: actionAt(1000),
        text: 'A partition separates nodes 1, 2 and 3 from nodes 4 and 5.',
        claims: [{ kind: 'leader', node: 5 }],
      },
      {
        when: (p) => [1, 2, 3].some((id) => p.node(id).role === 'candidate'),
        text: (p) => {
          const c = [1, 2, 3].filter((id) => p.node(id).role === 'candidate');
          return c.length === 1
            ? `Node ${c[0]} is the first to miss node 5's heartbeats: it holds an election. Node 3 is the highest id on this side.`
            : `Nodes ${listed(c)} stop hearing node 5's heartbeats and hold elections; node 3 is the highest id on this side.`;
        },
        claims: [{ kind: 'role', node: 5, role: 'leader' }],
      },
      {
        when: becomes(3, 'leader'),
        text: "Node 3's ELECTION to nodes 4 and 5 goes unanswered, so it declares itself coordinator. Node 5 still leads the other side: two coordinators at once, a split brain (the checks report it).",
        claims: [
          ...roles([3, 5], 'leader'),
          { kind: 'fact', text: 'a split-brain warning is recorded', holds: splitBrainSeen },
        ],
      },
      {
        when: actionAt(3000),
        text: 'The partition heals. Nodes 3 and 5 both still lead.',
        claims: roles([3, 5], 'leader'),
      },
      {
        when: (p) => p.record?.node === 3 && p.node(3).role !== 'leader',
        text: "Node 3 hears node 5's heartbeat, a higher id, and steps down. Bully has no terms or majorities: during the partition both sides acted as leader.",
        claims: [
          { kind: 'role', node: 3, role: 'follower' },
          { kind: 'leader', node: 5 },
        ],
      },
    ],
  },
];
