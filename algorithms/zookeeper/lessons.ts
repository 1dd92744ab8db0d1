/**
 * The herd effect vs the predecessor watch: the same cluster and the same crash of the
 * leader, once with every worker watching the children of /election (herd) and once with
 * each worker watching only the znode just below its own (the documented recipe). Each
 * caption is tied to a moment of its run; the counts it quotes are computed from the run
 * and its claims are checked by the tests at that moment.
 */
import { at, cutLink, kill } from '../sim/faults';
import {
  actionAt,
  allAre,
  becomes,
  roles,
  type Caption,
  type Claim,
  type Lesson,
  type LessonProbe,
} from '../core/lesson';
import { plural } from '../core/words';
import type { ServiceContext } from './service';
import type { ZkReplicaContext } from './replica';
import type { PaymentContext } from '../lease/payment';
import type { Recipe, WorkerContext } from './worker';
import { pathOf } from './messages';
import { lowest } from './zk';

const SERVICE = 1;
const PAYMENT = 7;
const LEADER = 2;
const WORKERS = [2, 3, 4, 5, 6];
const OTHERS = WORKERS.filter((id) => id !== LEADER);
/** The seed makes node 4's znode the second lowest: it leads after node 2. */
const NEXT = 4;
const CRASH_MS = 3000;
/** The caption at the crash is the fourth: its marks count what was sent since. */
const CRASH_CAPTION = 3;

const zk = (p: LessonProbe) => (p.node(SERVICE).context as ServiceContext).zk;
const worker = (p: LessonProbe, id: number) => p.node(id).context as WorkerContext;

/** Messages of `type` sent since the crash. */
const since = (p: LessonProbe, type: string) =>
  (p.sentByType[type] ?? 0) - (p.marks[CRASH_CAPTION]?.[type] ?? 0);

/** The service has just closed the crashed leader's session (its znode is gone). */
const leaderExpired = (p: LessonProbe) =>
  p.record?.node === SERVICE &&
  p.record.type === 'EXPIRE' &&
  !zk(p).znodes.some((z) => z.owner === LEADER);

/** Nothing of the election is in flight and every surviving worker leads or waits. */
const quiet = (next: number) => (p: LessonProbe) =>
  p.node(next).role === 'leader' &&
  allAre(
    OTHERS.filter((id) => id !== next),
    'follower',
  )(p) &&
  !p.inFlight.some((m) =>
    ['WatchEvent', 'GetChildren', 'Children', 'Exists', 'Stat'].includes(m.type),
  );

const count = (text: string, type: string, n: number): Claim => ({
  kind: 'fact',
  text,
  holds: (p) => since(p, type) === n,
});

function story(recipe: Recipe): Caption[] {
  const herd = recipe === 'herd';
  const woke = herd ? OTHERS.length : 1;
  return [
    {
      text: `Node 1 is a ZooKeeper-like service, node 7 the payment service, nodes 2-6 workers. Each worker opens a session, creates an ephemeral sequential znode under /election and reads the children: the lowest sequence number leads. Recipe: ${herd ? 'herd (every worker watches all the children)' : 'predecessor (each worker watches only the znode just below its own)'}.`,
      claims: roles(WORKERS, 'candidate'),
    },
    {
      when: becomes(LEADER, 'leader'),
      text: (p) =>
        `Node 2's znode ${worker(p, LEADER).znode?.name} has the lowest sequence number: node 2 leads, with the zxid that created it (${worker(p, LEADER).token}) as its fencing token.`,
      claims: [
        { kind: 'role', node: LEADER, role: 'leader' },
        { kind: 'leader', node: LEADER },
      ],
    },
    {
      when: allAre(OTHERS, 'follower'),
      text: (p) =>
        herd
          ? `Every worker, the leader too, read the children with a watch on them: ${zk(p).watches.filter((w) => w.kind === 'children').length} watches on /election at the service. Any change of /election will wake every one of them.`
          : `The other workers each set an exists watch on their predecessor: ${OTHERS.map((id) => `node ${id} on ${worker(p, id).watched?.slice('/election/'.length)}`).join(', ')}. Only node ${NEXT} watches the leader's znode.`,
      claims: [
        ...roles(OTHERS, 'follower'),
        {
          kind: 'fact',
          text: herd
            ? 'every other worker has a watch on the children of /election'
            : `only node ${NEXT} watches the leader's znode`,
          holds: (p) => {
            const leaderPath = pathOf(worker(p, LEADER).znode?.name ?? '');
            const onLeader = zk(p).watches.filter(
              (w) => w.kind === 'deleted' && w.path === leaderPath,
            );
            return herd
              ? OTHERS.every((id) =>
                  zk(p).watches.some((w) => w.node === id && w.kind === 'children'),
                )
              : onLeader.length === 1 && onLeader[0].node === NEXT;
          },
        },
      ],
    },
    {
      when: actionAt(CRASH_MS),
      text: 'Node 2 crashes. Its session stays open until the service has heard no ping for the session timeout (4 s): until then its znode is still there and nobody moves.',
      claims: [{ kind: 'role', node: LEADER, role: 'dead' }],
    },
    {
      when: leaderExpired,
      text: (p) =>
        `The session expires: the service deletes node 2's znode and fires the watches on it, once each: ${plural(since(p, 'WatchEvent'), 'watch event')} on ${since(p, 'WatchEvent') === 1 ? 'its' : 'their'} way.`,
      claims: [
        count(
          `${woke} watch event${woke === 1 ? '' : 's'} sent since the crash`,
          'WatchEvent',
          woke,
        ),
      ],
    },
    {
      when: becomes(NEXT, 'leader'),
      text: (p) =>
        `Node ${NEXT} reads the children: its znode is now the lowest, so it leads (fencing token ${worker(p, NEXT).token}, higher than node 2's).`,
      claims: [
        { kind: 'role', node: NEXT, role: 'leader' },
        {
          kind: 'fact',
          text: 'the service names node 3 (its znode is the lowest)',
          holds: (p) => lowest(zk(p))?.owner === NEXT,
        },
      ],
    },
    {
      when: quiet(NEXT),
      text: (p) => {
        const events = since(p, 'WatchEvent');
        const reads = since(p, 'GetChildren');
        const total = events + reads + since(p, 'Children') + since(p, 'Exists') + since(p, 'Stat');
        return herd
          ? `The leader's znode went away and ${plural(events, 'worker')} woke up: each read all the children again (${plural(reads, 'read')}) and set its watch again, though only one of them could become the leader. ${total} messages for one leader change, 3(n − 1) with n workers: the herd effect. Open the predecessor lesson to see 1 worker wake.`
          : `The leader's znode went away and ${plural(events, 'worker')} woke up: the one that watched it. ${plural(reads, 'read')} of the children, ${total} messages for one leader change, whatever the number of workers. The others never noticed. Open the herd lesson to see ${OTHERS.length} workers wake.`;
      },
      claims: [
        { kind: 'leader', node: NEXT },
        count(`${woke} worker${woke === 1 ? '' : 's'} woke up`, 'WatchEvent', woke),
        count(`${woke} read${woke === 1 ? '' : 's'} of the children`, 'GetChildren', woke),
      ],
    },
  ];
}

const scenario = (recipe: Recipe) => ({
  v: 1 as const,
  algorithm: 'zookeeper',
  params: { recipe, customers: 1 },
  nodes: [1, 2, 3, 4, 5, 6, 7].map((id) => ({
    id,
    label: id === SERVICE ? 'zookeeper' : id === PAYMENT ? 'payments' : undefined,
  })),
  network: { latency: { min: 5, max: 10 }, loss: 0, fifo: false },
  seed: 1,
  actions: at(CRASH_MS, kill(LEADER)),
});

/**
 * The service as an ensemble of three on Raft: nodes 1-3 the replicas, 4-6 workers, 7 the
 * payment service. At 4 s the ensemble leader and the worker leader are cut off from the
 * rest; the payment service still reaches both.
 */
const ENSEMBLE_MINORITY = [2, 4];
const ENSEMBLE_MAJORITY = [1, 3, 5, 6];
export const ENSEMBLE_CUT_MS = 4000;
export const ensembleRaftScenario = {
  v: 1 as const,
  algorithm: 'zookeeper',
  params: { fencing: true, customers: 1, ensemble: 3 as const },
  nodes: [1, 2, 3, 4, 5, 6, 7].map((id) => ({
    id,
    label: id <= 3 ? `zk ${id}` : id === 7 ? 'payments' : undefined,
  })),
  network: { latency: { min: 5, max: 10 }, loss: 0, fifo: false },
  seed: 1,
  actions: at(
    ENSEMBLE_CUT_MS,
    ...ENSEMBLE_MINORITY.flatMap((a) => ENSEMBLE_MAJORITY.map((b) => cutLink(a, b))),
  ),
};

const replicaIs = (p: LessonProbe, id: number, state: string) => p.node(id).state === state;
const replica = (p: LessonProbe, id: number) => p.node(id).context as ZkReplicaContext;
const ensembleBook = (p: LessonProbe) => (p.node(PAYMENT).context as PaymentContext).book;

const quorumLost: Caption[] = [
  {
    text: 'Nodes 1-3 run the ZooKeeper service as an ensemble of three on Raft; nodes 4-6 are workers, node 7 the payment service. A worker sends each request to the replica it believes leads; a replica that does not lead answers "not leader" and names the leader it follows.',
    claims: roles([4, 5, 6], 'candidate'),
  },
  {
    when: (p) => p.record?.node === 2 && replicaIs(p, 2, 'leader'),
    text: "Replica 2 wins the ensemble's election. From now on it appends every request to its log (opening a session, creating a znode, reading the children, and every ping too) and answers only once a majority of the replicas has stored it.",
    claims: [
      {
        kind: 'fact',
        text: 'replica 2 leads the ensemble',
        holds: (p) => replicaIs(p, 2, 'leader'),
      },
    ],
  },
  {
    when: becomes(4, 'leader'),
    text: "Node 4's create was committed first: its znode has the lowest sequence number, so it leads, with the zxid that created it (4) as its fencing token, and starts charging.",
    claims: [
      { kind: 'role', node: 4, role: 'leader' },
      { kind: 'term', node: 4, term: 4 },
    ],
  },
  {
    when: actionAt(ENSEMBLE_CUT_MS),
    text: 'The network splits: replica 2 (the ensemble leader) and worker 4 (the leader) on one side, replicas 1 and 3 and workers 5 and 6 on the other. The payment service still reaches both sides.',
    claims: [{ kind: 'role', node: 4, role: 'leader' }],
  },
  {
    when: (p) =>
      p.timeMs > ENSEMBLE_CUT_MS &&
      p.record?.node === 2 &&
      p.record.type === 'Ping' &&
      p.record.from === 4,
    text: "Node 4's ping reaches replica 2, which still believes it leads and appends it to its log. Only one replica of three has it: it is never committed, so no Pong ever says node 4's session is alive.",
    claims: [
      {
        kind: 'fact',
        text: "replica 2's log holds entries it cannot commit",
        holds: (p) => replica(p, 2).log.length > replica(p, 2).commitIndex,
      },
    ],
  },
  {
    when: (p) =>
      p.record?.node === 2 && p.record.type === 'QUORUM_CHECK' && replicaIs(p, 2, 'follower'),
    text: 'Replica 2 has not heard from a majority for an election timeout: it steps down by itself (check-quorum). The minority side has no ensemble leader now: nobody there can open a session, answer a ping or create a znode.',
    claims: [
      {
        kind: 'fact',
        text: 'replica 2 no longer leads',
        holds: (p) => replicaIs(p, 2, 'follower'),
      },
      { kind: 'role', node: 4, role: 'leader' },
    ],
  },
  {
    when: (p) => p.record?.node === 3 && replicaIs(p, 3, 'leader'),
    text: "Replicas 1 and 3 are a majority: they elect replica 3, in a higher term. A new leader gives every session a full timeout, as a ZooKeeper ensemble does after a leader change, node 4's included.",
    claims: [
      {
        kind: 'fact',
        // (replica 2, cut off, runs only pre-votes, which never raise its term)
        text: 'replica 3 leads the ensemble in a higher term than replica 2 led in',
        holds: (p) => replicaIs(p, 3, 'leader') && replica(p, 3).term > replica(p, 2).term,
      },
    ],
  },
  {
    when: (p) => p.record?.node === 4 && p.record.type === 'SESSION_TIMEOUT',
    text: 'Node 4 has heard nothing of its session for a whole session timeout: it cannot know whether the ensemble still holds it, so it stops leading and starts over. No worker leads for a moment.',
    claims: [{ kind: 'role', node: 4, role: 'candidate' }, ...roles([5, 6], 'follower')],
  },
  {
    when: becomes(6, 'leader'),
    text: "Replica 3's timer for node 4's session ran out: it proposed closing the session, a majority stored it, and on commit node 4's znode was deleted and the watch on it fired. Node 6's znode is now the lowest: node 6 leads with token 5.",
    claims: [
      { kind: 'role', node: 6, role: 'leader' },
      { kind: 'term', node: 6, term: 5 },
    ],
  },
  {
    when: (p) =>
      p.record?.node === PAYMENT &&
      p.record.type === 'Charge' &&
      (p.node(PAYMENT).context as PaymentContext).last?.from === 6,
    text: 'Node 6 charges with token 5. Node 4 stopped before node 6 started, and the payment service would have fenced a late charge with token 4: no customer pays twice. The minority could not serve; the majority could, safely: that is what a CP coordination service buys.',
    claims: [
      {
        kind: 'fact',
        text: 'no customer was charged twice',
        holds: (p) => ensembleBook(p).duplicates === 0,
      },
      {
        kind: 'fact',
        text: 'the highest token the service has seen is 5',
        holds: (p) => ensembleBook(p).maxToken === 5,
      },
    ],
  },
];

export const zookeeperLessons: Lesson[] = [
  {
    name: 'lesson-zk-herd',
    title: 'The herd effect vs the predecessor watch: the herd',
    algorithm: 'zookeeper',
    summary:
      'Every worker watches the children of /election: when the leader’s znode goes, all of them wake up and read the children.',
    scenario: scenario('herd'),
    captions: story('herd'),
    until: 9000,
  },
  {
    name: 'lesson-zk-predecessor',
    title: 'The herd effect vs the predecessor watch: the predecessor',
    algorithm: 'zookeeper',
    summary:
      'Each worker watches only the znode just below its own: when the leader’s znode goes, exactly one worker wakes up and leads.',
    scenario: scenario('predecessor'),
    captions: story('predecessor'),
    until: 9000,
  },
  {
    name: 'lesson-zk-ensemble-quorum',
    title: 'A ZooKeeper ensemble losing its quorum',
    algorithm: 'zookeeper',
    summary:
      'The service is an ensemble of three on Raft. Its leader and the worker leader are cut off in a minority: no ping is answered there, the worker gives its session up, and the majority elects a new ensemble leader that closes the session and hands the election to another worker.',
    scenario: ensembleRaftScenario,
    captions: quorumLost,
    until: 14_000,
  },
];
