/**
 * The payment service and the lease election's leaders: a paused leader, with and without
 * fencing, and a leader cut off from the store that charges first (fencing without
 * idempotency). Each caption is tied to a moment of its run and its claims are checked by
 * the tests at that moment.
 */
import { at, cutLink, healAll, pause, resume } from '../sim/faults';
import {
  actionAt,
  becomes,
  roles,
  type Caption,
  type Claim,
  type Lesson,
  type LessonProbe,
} from '../core/lesson';
import type { PaymentContext } from './payment';
import type { StoreContext } from './store';
import type { ReplicaContext } from './replica';
import { ELECTION_PREFIX } from './messages';

const STORE = 1;
const SERVICE = 5;

const nodes = [1, 2, 3, 4, 5].map((id) => ({
  id,
  label: id === STORE ? 'etcd' : id === SERVICE ? 'payments' : undefined,
}));
const net = { latency: { min: 5, max: 10 }, loss: 0, fifo: false };

const book = (p: LessonProbe) => (p.node(SERVICE).context as PaymentContext).book;
const lastCharge = (p: LessonProbe) => (p.node(SERVICE).context as PaymentContext).last;
const storeKeys = (p: LessonProbe) =>
  (p.node(STORE).context as StoreContext).store$.keys.filter((k) =>
    k.key.startsWith(ELECTION_PREFIX),
  );

/** The payment service has just answered a charge from `from` (for `period`, if given). */
const chargeFrom =
  (from: number, period?: number) =>
  (p: LessonProbe): boolean =>
    p.record?.node === SERVICE &&
    p.record.type === 'Charge' &&
    lastCharge(p)?.from === from &&
    (period === undefined || lastCharge(p)?.period === period);

/** The store has just expired `owner`'s lease (its key is gone). */
const keyGone = (owner: number) => (p: LessonProbe) =>
  p.record?.node === STORE &&
  p.record.type === 'EXPIRE' &&
  !storeKeys(p).some((k) => k.owner === owner);

const counter = (name: keyof ReturnType<typeof book>, value: number): Claim => ({
  kind: 'fact',
  text: `the service's ${String(name)} counter reads ${value}`,
  holds: (p) => book(p)[name] === value,
});

const scenario = (fencing: boolean) => ({
  v: 1 as const,
  algorithm: 'lease',
  params: { fencing, customers: 1 },
  nodes,
  network: net,
  seed: 1,
  actions: [...at(2500, pause(2)), ...at(12_500, resume(2))],
});

const story = (fencing: boolean): Caption[] => [
  {
    text: 'Node 1 is the store (a small etcd), node 5 the payment service, nodes 2-4 servers that may charge customers. Each server takes a 5 s lease and creates its key under /election/ with it.',
    claims: roles([2, 3, 4], 'candidate'),
  },
  {
    when: becomes(2, 'leader'),
    text: "Node 2's key has the lowest create revision (1): it is the leader, and revision 1 is its fencing token. It keeps its lease alive every 1.7 s.",
    claims: [
      { kind: 'role', node: 2, role: 'leader' },
      { kind: 'term', node: 2, term: 1 },
      { kind: 'leader', node: 2 },
    ],
  },
  {
    when: chargeFrom(2),
    text: 'Once per billing period (1 s) the leader charges the customer, sending its token along.',
    claims: [counter('charges', 1)],
  },
  {
    when: actionAt(2500),
    text: 'Node 2 is paused: a long garbage-collection pause. Its timers and inbox wait; it sends nothing, not even keep-alives.',
    claims: [{ kind: 'fact', text: 'node 2 is paused', holds: (p) => p.node(2).paused }],
  },
  {
    when: keyGone(2),
    text: "5 s after the last keep-alive the store expires node 2's lease and deletes its key. The paused node cannot know.",
    claims: [
      { kind: 'role', node: 2, role: 'leader' },
      {
        kind: 'fact',
        text: "node 2's key is gone from the store",
        holds: (p) => !storeKeys(p).some((k) => k.owner === 2),
      },
    ],
  },
  {
    when: becomes(3, 'leader'),
    text: "Node 3's key (revision 2) is now the lowest: node 3 leads with fencing token 2 and takes over the charging.",
    claims: [
      { kind: 'role', node: 3, role: 'leader' },
      { kind: 'term', node: 3, term: 2 },
    ],
  },
  {
    when: chargeFrom(3, 12),
    text: 'Node 3 charges the customer for period 12.',
    claims: [
      {
        kind: 'fact',
        text: 'the service charged period 12 with token 2',
        holds: (p) => lastCharge(p)?.outcome === 'charged' && lastCharge(p)?.token === 2,
      },
    ],
  },
  {
    when: (p) => p.record?.kind === 'timer' && p.record.node === 2 && p.record.type === 'TICK',
    text: 'Node 2 wakes up. Its billing timer was overdue, so before it reads the news from the store it charges the customer for period 12 too, with its old token 1.',
    claims: [
      { kind: 'fact', text: 'node 2 is running again', holds: (p) => !p.node(2).paused },
      { kind: 'role', node: 2, role: 'leader' },
      { kind: 'term', node: 2, term: 1 },
    ],
  },
  fencing
    ? {
        when: chargeFrom(2, 12),
        text: 'The payment service has already seen token 2, so it rejects token 1: fencing. The customer pays once (the "rejected by fencing" counter goes up).',
        claims: [counter('rejected', 1), counter('duplicates', 0)],
      }
    : {
        when: chargeFrom(2, 12),
        text: 'Without fencing the payment service charges again: the customer has paid twice for period 12 (the duplicate-charge counter shows 1). Open the fencing lesson to see the cure.',
        claims: [counter('duplicates', 1), counter('rejected', 0)],
      },
  {
    when: (p) => p.record?.node === 2 && p.node(2).role === 'follower',
    text: 'Node 2 has learned its key is gone, campaigned again and now waits in line behind node 3. A lease alone cannot stop a paused leader; a fencing token checked by the resource can.',
    claims: [
      { kind: 'role', node: 2, role: 'follower' },
      { kind: 'role', node: 3, role: 'leader' },
      { kind: 'leader', node: 3 },
    ],
  },
];

const cutOff = {
  v: 1 as const,
  algorithm: 'lease',
  params: { fencing: true, idempotent: false, customers: 1 },
  nodes,
  network: net,
  seed: 1,
  actions: [...at(2500, cutLink(1, 2)), ...at(9500, healAll())],
};

const notIdempotent: Caption[] = [
  {
    text: 'Node 1 is the store, node 5 the payment service, nodes 2-4 servers that may charge customers. The service checks fencing tokens (it refuses a token lower than the highest it has seen) but it is not idempotent: it does not check whether a customer was already charged for a period.',
    claims: roles([2, 3, 4], 'candidate'),
  },
  {
    when: becomes(2, 'leader'),
    text: "Node 2's key has the lowest create revision (1): it leads with fencing token 1.",
    claims: [
      { kind: 'role', node: 2, role: 'leader' },
      { kind: 'term', node: 2, term: 1 },
    ],
  },
  {
    when: chargeFrom(2),
    text: 'Once per billing period (1 s) the leader charges the customer, sending its token along.',
    claims: [counter('charges', 1)],
  },
  {
    when: actionAt(2500),
    text: 'The link between node 2 and the store is cut. Its keep-alives no longer reach the store, but it can still reach the payment service.',
  },
  {
    when: keyGone(2),
    text: "5 s after node 2's last keep-alive the store expires its lease and deletes its key. The news cannot reach node 2: it still believes it leads.",
    claims: [{ kind: 'role', node: 2, role: 'leader' }],
  },
  {
    when: becomes(3, 'leader'),
    text: "Node 3's key (revision 2) is now the lowest: node 3 leads with fencing token 2. Two nodes now believe they lead.",
    claims: [...roles([2, 3], 'leader'), { kind: 'term', node: 3, term: 2 }],
  },
  {
    when: (p) => chargeFrom(2)(p) && lastCharge(p)?.period === 7,
    text: "Both charge the customer for period 7. Node 2's charge arrives first, with token 1: the highest token the service has seen is still 1, so fencing lets it through.",
    claims: [
      {
        kind: 'fact',
        text: "node 2's token-1 charge for period 7 went through",
        holds: (p) => lastCharge(p)?.outcome === 'charged' && lastCharge(p)?.token === 1,
      },
    ],
  },
  {
    when: chargeFrom(3, 7),
    text: "Node 3's charge arrives with token 2, the highest yet, so fencing lets it through too: the customer has paid twice for period 7 (the duplicate-charge counter shows 1). A token orders the writers; it does not make a write idempotent.",
    claims: [counter('duplicates', 1)],
  },
  {
    when: (p) => chargeFrom(2)(p) && lastCharge(p)?.outcome === 'fenced',
    text: "From now on node 2's charges are rejected: the service has seen token 2. Fencing stops the old leader only once the new leader's first charge has raised the token.",
    claims: [counter('rejected', 1)],
  },
  {
    when: (p) => p.record?.node === 2 && p.node(2).role !== 'leader',
    text: 'The link healed, and node 2\'s next keep-alive is answered "expired": it stops leading and campaigns again, behind node 3. Made idempotent (the idempotent param), the service would have refused the second charge for period 7 as already paid.',
    claims: [
      { kind: 'role', node: 3, role: 'leader' },
      { kind: 'leader', node: 3 },
    ],
  },
];

/** The store as a Raft group of three: nodes 1-3 the replicas, 4-6 workers, 7 payments. */
const MINORITY = [2, 6];
const MAJORITY = [1, 3, 4, 5];
export const storeRaftScenario = {
  v: 1 as const,
  algorithm: 'lease',
  params: { fencing: true, customers: 1, storeNodes: 3 },
  nodes: [1, 2, 3, 4, 5, 6, 7].map((id) => ({
    id,
    label: id <= 3 ? `etcd ${id}` : id === 7 ? 'payments' : undefined,
  })),
  network: net,
  seed: 1,
  actions: at(4000, ...MINORITY.flatMap((a) => MAJORITY.map((b) => cutLink(a, b)))),
};

/** Store replica `id` is in Raft state `state` ("leader", "follower"...). */
const replicaIs = (p: LessonProbe, id: number, state: string) => p.node(id).state === state;
const replica = (p: LessonProbe, id: number) => p.node(id).context as ReplicaContext;
const PAYMENTS = 7;
const raftBook = (p: LessonProbe) => (p.node(PAYMENTS).context as PaymentContext).book;

const quorumLost: Caption[] = [
  {
    text: 'Nodes 1-3 run the store as a Raft group of three, as etcd itself does; nodes 4-6 are workers, node 7 the payment service. A worker sends each request to the replica it believes leads; a replica that does not lead answers "not leader" and names the leader it follows.',
    claims: roles([4, 5, 6], 'candidate'),
  },
  {
    when: (p) => p.record?.node === 2 && replicaIs(p, 2, 'leader'),
    text: 'Replica 2 wins the store election (term 1). From now on it appends every worker request to its log, and answers only once a majority of the replicas has stored it: a grant, a campaign, a keep-alive, a watch.',
    claims: [
      {
        kind: 'fact',
        text: 'replica 2 leads the store group in term 1',
        holds: (p) => replicaIs(p, 2, 'leader') && replica(p, 2).term === 1,
      },
    ],
  },
  {
    when: becomes(6, 'leader'),
    text: "Node 6's campaign was committed first: its key has create revision 1, so it leads with fencing token 1 and starts charging.",
    claims: [
      { kind: 'role', node: 6, role: 'leader' },
      { kind: 'term', node: 6, term: 1 },
    ],
  },
  {
    when: actionAt(4000),
    text: 'The network splits: replica 2 (the store leader) and worker 6 (the leader) on one side, replicas 1 and 3 and workers 4 and 5 on the other. The payment service still reaches both sides.',
    claims: [{ kind: 'role', node: 6, role: 'leader' }],
  },
  {
    when: (p) =>
      p.timeMs > 4000 &&
      p.record?.node === 2 &&
      p.record.type === 'KeepAlive' &&
      p.record.from === 6,
    text: "Node 6's keep-alive reaches replica 2, which still believes it leads and appends it to its log. Only one replica of three has it: it is never committed, so it is never answered.",
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
    text: 'Replica 2 has not heard from a majority for an election timeout: it steps down by itself (check-quorum). The minority side has no store leader now: nobody there can grant or renew a lease.',
    claims: [
      {
        kind: 'fact',
        text: 'replica 2 no longer leads',
        holds: (p) => replicaIs(p, 2, 'follower'),
      },
      { kind: 'role', node: 6, role: 'leader' },
    ],
  },
  {
    when: (p) => p.record?.node === 3 && replicaIs(p, 3, 'leader'),
    text: "Replicas 1 and 3 are a majority: they elect replica 3 (term 2). A new store leader restarts the time to live of every lease it knows, as etcd does, node 6's included.",
    claims: [
      {
        kind: 'fact',
        text: 'replica 3 leads the store group in term 2',
        holds: (p) => replicaIs(p, 3, 'leader') && replica(p, 3).term === 2,
      },
    ],
  },
  {
    when: (p) => p.record?.node === 6 && p.record.type === 'LEASE_TIMEOUT',
    text: 'Node 6 has heard no renewal for a whole TTL: it cannot know whether the store still holds its lease, so it stops leading and starts over. No worker leads for a moment.',
    claims: [
      { kind: 'role', node: 6, role: 'candidate' },
      { kind: 'leader', node: null },
    ],
  },
  {
    when: becomes(5, 'leader'),
    text: "Replica 3's timer for node 6's lease ran out: it proposed the expiry, a majority stored it, and on commit the key was deleted. Node 5's key (revision 2) is now the oldest: node 5 leads with token 2.",
    claims: [
      { kind: 'role', node: 5, role: 'leader' },
      { kind: 'term', node: 5, term: 2 },
    ],
  },
  {
    when: (p) =>
      p.record?.node === PAYMENTS &&
      p.record.type === 'Charge' &&
      (p.node(PAYMENTS).context as PaymentContext).last?.from === 5,
    text: 'Node 5 charges with token 2. Node 6 stopped before node 5 started, and the payment service would have fenced a late charge with token 1: no customer pays twice.',
    claims: [
      {
        kind: 'fact',
        text: 'no customer was charged twice',
        holds: (p) => raftBook(p).duplicates === 0,
      },
      {
        kind: 'fact',
        text: 'the highest token the service has seen is 2',
        holds: (p) => raftBook(p).maxToken === 2,
      },
    ],
  },
];

export const leaseLessons: Lesson[] = [
  {
    name: 'lesson-payment-no-fencing',
    title: 'The payment service and the paused leader (no fencing)',
    algorithm: 'lease',
    summary: 'A leader paused past its lease wakes up and charges a customer twice.',
    scenario: scenario(false),
    captions: story(false),
    until: 13_000,
  },
  {
    name: 'lesson-payment-fencing',
    title: 'The payment service and the paused leader (with fencing)',
    algorithm: 'lease',
    summary:
      'The same pause, but the payment service checks the fencing token and rejects the stale charge.',
    scenario: scenario(true),
    captions: story(true),
    until: 13_000,
  },
  {
    name: 'lesson-payment-fencing-not-idempotent',
    title: 'Fencing is not idempotency: the cut-off leader charges first',
    algorithm: 'lease',
    summary:
      'A leader cut off from the store keeps charging; the new leader charges the same period with a higher token, and fencing lets both through.',
    scenario: cutOff,
    captions: notIdempotent,
    until: 10_500,
  },
  {
    name: 'lesson-lease-store-quorum',
    title: 'A lease store losing its quorum',
    algorithm: 'lease',
    summary:
      'The store is a Raft group of three. Its leader and the worker leader are cut off in a minority: renewals fail there, the worker steps down when its lease runs out, and the majority elects a store leader that hands the election to another worker.',
    scenario: storeRaftScenario,
    captions: quorumLost,
    until: 12_000,
  },
];
