/** Ring lessons: both variants on one ring. Times are those of the fixed seed below. */
import { at, kill } from '../sim/faults';
import type { Lesson } from '../core/lesson';

const net = { latency: { min: 10, max: 15 }, loss: 0, fifo: false };
/** One ring for both variants: ids not in order, so the election has to work for it. */
const ring = [3, 1, 5, 2, 4].map((id) => ({ id }));

export const ringLessons: Lesson[] = [
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
