/** Bully lessons. Times are those of the fixed seed below. */
import { at, healAll, kill, partition, restart } from '../sim/faults';
import type { Lesson } from '../core/lesson';

const nodes = [1, 2, 3, 4, 5].map((id) => ({ id }));
const net = { latency: { min: 10, max: 15 }, loss: 0, fifo: false };

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
];
