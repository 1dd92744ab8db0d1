/**
 * Ring lessons: both variants on one ring, the same crash. Each caption is tied to a
 * moment of its run and its claims are checked by the tests at that moment; the counts
 * they quote are computed from the run. The runs start at boot, so the first captions
 * narrate the boot election.
 */
import { at, kill } from '../sim/faults';
import {
  actionAt,
  becomes,
  roles,
  type Caption,
  type Lesson,
  type LessonProbe,
} from '../core/lesson';
import { listed } from '../core/words';

const net = { latency: { min: 10, max: 15 }, loss: 0, fifo: false };
/** One ring for both variants: ids not in order, so the election has to work for it. */
const order = [3, 1, 5, 2, 4];
const ring = order.map((id) => ({ id }));
const ringText = `${order.join(' → ')} → ${order[0]}`;

const ELECTION_TRAFFIC = ['ELECTION', 'ELECTED', 'COORDINATOR', 'ACK'];

/** Nobody takes part in an election any more: every id in `ids` follows `leader`, no election traffic is in flight. */
const settledOn = (ids: readonly number[], leader: number) => (p: LessonProbe) =>
  ids.every((id) => p.node(id).role === 'follower' && p.node(id).leader === leader) &&
  p.node(leader).role === 'leader' &&
  !p.inFlight.some((m) => ELECTION_TRAFFIC.includes(m.type));

/** ELECTION messages sent since caption `k`'s moment. */
const electionsSince = (p: LessonProbe, k: number) =>
  (p.sentByType.ELECTION ?? 0) - (p.marks[k]?.ELECTION ?? 0);

/** The ids in a collect-ids ELECTION label ("Election [2 4 3]"). */
const idsIn = (label: string | undefined): number[] =>
  /\[([\d ]*)\]/
    .exec(label ?? '')?.[1]
    .split(' ')
    .filter(Boolean)
    .map(Number) ?? [];

/** Chang-Roberts: the id an ELECTION label carries ("Election 3"). */
const idIn = (label: string | undefined): number | null => {
  const m = /^Election (\d+)$/.exec(label ?? '');
  return m ? Number(m[1]) : null;
};

const CRASH = 2;

const boot = (variant: string): Caption[] => [
  {
    text: `The ring is ${ringText} (${variant}). Every node boots as a candidate and sends its own ELECTION message to its successor; each hop is acknowledged (ACK).`,
    claims: roles(order, 'candidate'),
  },
  {
    when: settledOn([3, 1, 2, 4], 5),
    text: 'The boot election is over: node 5, the highest id, leads, and every node follows it. The leader sends heartbeats to everyone.',
    claims: [{ kind: 'leader', node: 5 }, ...roles([3, 1, 2, 4], 'follower')],
  },
  {
    when: actionAt(1000),
    text: 'Node 5 crashes. Its predecessor on the ring, node 1, will skip it once it gets no ACK.',
    claims: [{ kind: 'role', node: 5, role: 'dead' }],
  },
  {
    when: (p) => p.record?.type === 'FAILURE',
    text: (p) =>
      `Node ${p.record?.node} is the first to miss the heartbeats: it starts an election and sends ELECTION to its successor.`,
    claims: [
      {
        kind: 'fact',
        text: 'the node whose failure timer fired is a candidate',
        holds: (p) => p.record !== null && p.node(p.record.node).role === 'candidate',
      },
    ],
  },
];

export const ringLessons: Lesson[] = [
  {
    name: 'lesson-ring-chang-roberts',
    title: 'Ring: Chang-Roberts',
    algorithm: 'ring',
    summary: 'On the ring 3, 1, 5, 2, 4 the leader 5 crashes and the others elect node 4.',
    scenario: {
      v: 1,
      algorithm: 'ring',
      params: { variant: 'chang-roberts' },
      nodes: ring,
      network: net,
      seed: 1,
      actions: at(1000, kill(5)),
    },
    until: 1500,
    captions: [
      ...boot('Chang-Roberts'),
      {
        when: (p) => {
          const id = idIn(p.record?.label);
          return p.record?.type === 'ELECTION' && id !== null && id < p.record.node;
        },
        text: (p) =>
          `Chang-Roberts: a node passes on only ids higher than its own. Node ${p.record?.node} got ELECTION ${idIn(p.record?.label)}, a lower id: it does not pass it on (a node not yet taking part sends its own id instead).`,
      },
      {
        when: becomes(4, 'leader'),
        text: 'Only the highest id alive, 4, makes it all the way round: its own ELECTION came back to node 4, which is now the leader.',
        claims: [{ kind: 'role', node: 4, role: 'leader' }],
      },
      {
        when: settledOn([3, 1, 2], 4),
        text: (p) =>
          `ELECTED 4 went round once and every node follows node 4. Since the crash this election cost ${electionsSince(p, CRASH)} ELECTION messages; the collect-ids lesson runs the same crash on the same ring.`,
        claims: [{ kind: 'leader', node: 4 }, ...roles([3, 1, 2], 'follower')],
      },
    ],
  },
  {
    name: 'lesson-ring-collect-ids',
    title: 'Ring: collect-ids',
    algorithm: 'ring',
    summary: 'The same ring and crash, with the variant whose message gathers every id.',
    scenario: {
      v: 1,
      algorithm: 'ring',
      params: { variant: 'collect-ids' },
      nodes: ring,
      network: net,
      seed: 1,
      actions: at(1000, kill(5)),
    },
    until: 1500,
    captions: [
      ...boot('collect-ids'),
      {
        when: (p) => [3, 1, 2, 4].every((id) => p.node(id).role !== 'follower'),
        text: (p) => {
          const c = [3, 1, 2, 4].filter((id) => p.node(id).role === 'candidate');
          return `${c.length === 4 ? 'Every node has' : `Nodes ${listed(c)} have`} started an election. In collect-ids each ELECTION message gathers the id of every node it passes, and none is swallowed.`;
        },
        claims: [
          {
            kind: 'fact',
            text: 'no node still follows the dead leader',
            holds: (p) => [3, 1, 2, 4].every((id) => p.node(id).role !== 'follower'),
          },
        ],
      },
      {
        when: (p) =>
          p.record?.type === 'ELECTION' &&
          idsIn(p.record.label).length === 4 &&
          idsIn(p.record.label)[0] === p.record.node,
        text: (p) =>
          `Node ${p.record?.node}'s message is back with the full list [${idsIn(p.record?.label).join(' ')}]: it has been all the way round. The highest id in it is 4.`,
      },
      {
        when: becomes(4, 'leader'),
        text: 'Node 4 sees that the highest id in its list is its own and takes the lead; COORDINATOR messages then circulate once round the ring.',
        claims: [{ kind: 'role', node: 4, role: 'leader' }],
      },
      {
        when: settledOn([3, 1, 2], 4),
        text: (p) =>
          `Every node follows node 4. Since the crash this election cost ${electionsSince(p, CRASH)} ELECTION messages: every initiator's list went all the way round. Compare with the Chang-Roberts lesson on the same ring.`,
        claims: [{ kind: 'leader', node: 4 }, ...roles([3, 1, 2], 'follower')],
      },
    ],
  },
];
