/** Bully and Ring lessons. Times are those of the fixed seed below. */
import { at, healAll, kill, partition, restart } from '../../sim/faults';
import type { Lesson } from './index';

const nodes = [1, 2, 3, 4, 5].map((id) => ({ id }));
const net = { latency: { min: 10, max: 15 }, loss: 0, fifo: false };
/** One ring for both variants: ids not in order, so the election has to work for it. */
const ring = [3, 1, 5, 2, 4].map((id) => ({ id }));

export const classicLessons: Lesson[] = [
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
      {
        at: 0,
        text: 'In Bully the highest id that is alive leads: node 5 is the coordinator and sends heartbeats.',
      },
      { at: 1000, text: 'Node 5 crashes. The heartbeats stop.' },
      {
        at: 1360.032,
        text: 'After the failure timeout every node notices and holds an election: it sends ELECTION to every higher id.',
      },
      {
        at: 1383.443,
        text: 'A higher node that is alive answers OK and runs its own election; the lower node steps back and waits for a COORDINATOR message.',
      },
      {
        at: 1410.032,
        text: "Node 4's ELECTION to node 5 gets no answer. When the answer timeout runs out, node 4 declares itself coordinator.",
      },
      {
        at: 1421.387,
        text: 'COORDINATOR from node 4 reaches the lower nodes: they follow node 4.',
      },
      {
        at: 3000,
        text: 'Node 5 restarts. A booting node holds an election; nobody is higher, so it declares itself coordinator at once.',
      },
      {
        at: 3014.339,
        text: "Node 4 receives node 5's COORDINATOR and steps down: node 5 has bullied its way back to the top.",
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
      { at: 0, text: 'Node 5 is the coordinator.' },
      { at: 1000, text: 'A partition separates nodes 1, 2, 3 from nodes 4 and 5.' },
      {
        at: 1260.845,
        text: "Nodes 1, 2 and 3 stop hearing node 5's heartbeats and hold elections; node 3 is the highest on their side.",
      },
      {
        at: 1310.845,
        text: "Node 3's ELECTION to 4 and 5 goes unanswered, so it declares itself coordinator. Node 5 still leads the other side: two coordinators at once, a split brain (the invariant panel reports it).",
      },
      { at: 3000, text: 'The partition heals.' },
      {
        at: 3010.061,
        text: "Node 3 hears node 5's heartbeat, a higher id, and steps down. Bully has no terms or majorities: during the partition both sides acted as leader.",
      },
    ],
  },
  {
    name: 'lesson-ring-chang-roberts',
    title: 'Ring: Chang-Roberts',
    algorithm: 'ring',
    summary: 'On the ring 3, 1, 5, 2, 4 the leader 5 crashes and everyone starts an election.',
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
      { at: 0, text: 'The ring is 3 → 1 → 5 → 2 → 4 → 3. Node 5, the highest id, leads.' },
      {
        at: 1000,
        text: 'Node 5 crashes. Its predecessor (node 1) will skip it once it gets no ACK.',
      },
      {
        at: 1318.973,
        text: 'The nodes notice the missing heartbeats and each starts an election, sending ELECTION with its own id to its successor.',
      },
      {
        at: 1330.173,
        text: 'Chang-Roberts: a node passes on only ids higher than its own, and swallows lower ones. Node 1 forwards 3; lower ids die out quickly.',
      },
      {
        at: 1375.167,
        text: 'Only the highest id, 4, makes it all the way round: its own ELECTION comes back to node 4, which is now the leader.',
      },
      {
        at: 1414.334,
        text: 'ELECTED 4 goes round once. Count the messages in the log: 21 ELECTION messages in the whole run, against 41 for collect-ids on the same ring.',
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
      { at: 0, text: 'The same ring, 3 → 1 → 5 → 2 → 4 → 3, with the collect-ids variant.' },
      { at: 1000, text: 'Node 5 crashes.' },
      {
        at: 1324.062,
        text: 'Every node starts an election: its ELECTION message gathers the id of every node it passes, and none is swallowed.',
      },
      {
        at: 1370.392,
        text: 'Each message goes all the way round and returns to its initiator with the full list [.. all four ids ..].',
      },
      {
        at: 1376.899,
        text: 'Node 4 sees the highest id in its list is its own and takes the lead; a COORDINATOR message then circulates once. Four full circles cost 41 ELECTION messages in this run, against 21 for Chang-Roberts.',
      },
    ],
  },
];
