/**
 * The payment service and the lease election's leaders: a paused leader, with and without
 * fencing, and a leader cut off from the store that charges first (fencing without
 * idempotency).
 */
import { at, cutLink, healAll, pause, resume } from '../../sim/faults';
import type { Caption, Lesson } from '../../core/lesson';

const scenario = (fencing: boolean) => ({
  v: 1 as const,
  algorithm: 'lease' as const,
  params: { fencing, customers: 1 },
  nodes: [1, 2, 3, 4, 5].map((id) => ({
    id,
    label: id === 1 ? 'etcd' : id === 5 ? 'payments' : undefined,
  })),
  network: { latency: { min: 5, max: 10 }, loss: 0, fifo: false },
  seed: 1,
  actions: [...at(2500, pause(2)), ...at(12_500, resume(2))],
});

const story = (fencing: boolean): Caption[] => [
  {
    at: 0,
    text: 'Node 1 is the store (a small etcd), node 5 the payment service, nodes 2-4 servers that may charge customers. Each server takes a 5 s lease and creates its key under /election/ with it.',
  },
  {
    at: 31.494,
    text: "Node 2's key has the lowest create revision (1): it is the leader, and revision 1 is its fencing token. It keeps its lease alive every 1.7 s.",
  },
  {
    at: 1009.223,
    text: 'Once per billing period (1 s) the leader charges the customer, sending its token along.',
  },
  {
    at: 2500,
    text: 'Node 2 is paused: a long garbage-collection pause. Its timers and inbox wait; it sends nothing, not even keep-alives.',
  },
  {
    at: 6675.269,
    text: "5 s after the last keep-alive the store expires node 2's lease and deletes its key. The paused node cannot know.",
  },
  {
    at: 6684.652,
    text: "Node 3's key (revision 2) is now the lowest: node 3 leads with fencing token 2 and takes over the charging.",
  },
  { at: 12_005.912, text: 'Node 3 charges the customer for period 12.' },
  {
    at: 12_500,
    text: 'Node 2 wakes up. Its billing timer was overdue, so before it reads the news from the store it charges the customer for period 12 too, with its old token 1.',
  },
  fencing
    ? {
        at: 12_508.083,
        text: 'The payment service has already seen token 2, so it rejects token 1: fencing. The customer pays once (the "rejected by fencing" counter goes up).',
      }
    : {
        at: 12_508.083,
        text: 'Without fencing the payment service charges again: the customer has paid twice for period 12 (the duplicate-charge counter shows 1). Open the fencing lesson to see the cure.',
      },
  {
    at: 12_530.766,
    text: 'Node 2 has learned its key is gone, campaigned again and now waits in line behind node 3. A lease alone cannot stop a paused leader; a fencing token checked by the resource can.',
  },
];

const cutOff = {
  v: 1 as const,
  algorithm: 'lease' as const,
  params: { fencing: true, idempotent: false, customers: 1 },
  nodes: [1, 2, 3, 4, 5].map((id) => ({
    id,
    label: id === 1 ? 'etcd' : id === 5 ? 'payments' : undefined,
  })),
  network: { latency: { min: 5, max: 10 }, loss: 0, fifo: false },
  seed: 1,
  actions: [...at(2500, cutLink(1, 2)), ...at(9500, healAll())],
};

const notIdempotent: Caption[] = [
  {
    at: 0,
    text: 'Node 1 is the store, node 5 the payment service, nodes 2-4 servers that may charge customers. The service checks fencing tokens (it refuses a token lower than the highest it has seen) but it is not idempotent: it does not check whether a customer was already charged for a period.',
  },
  {
    at: 28.863,
    text: "Node 2's key has the lowest create revision (1): it leads with fencing token 1.",
  },
  {
    at: 1009.223,
    text: 'Once per billing period (1 s) the leader charges the customer, sending its token along.',
  },
  {
    at: 2500,
    text: 'The link between node 2 and the store is cut. Its keep-alives no longer reach the store, but it can still reach the payment service.',
  },
  {
    at: 6675.269,
    text: "5 s after node 2's last keep-alive the store expires its lease and deletes its key. The news cannot reach node 2: it still believes it leads.",
  },
  {
    at: 6684.723,
    text: "Node 3's key (revision 2) is now the lowest: node 3 leads with fencing token 2. Two nodes now believe they lead.",
  },
  {
    at: 7006.2,
    text: "Both charge the customer for period 7. Node 2's charge arrives first, with token 1: the highest token the service has seen is still 1, so fencing lets it through.",
  },
  {
    at: 7008.463,
    text: "Node 3's charge arrives with token 2, the highest yet, so fencing lets it through too: the customer has paid twice for period 7 (the duplicate-charge counter shows 1). A token orders the writers; it does not make a write idempotent.",
  },
  {
    at: 8005.845,
    text: "From now on node 2's charges are rejected: the service has seen token 2. Fencing stops the old leader only once the new leader's first charge has raised the token.",
  },
  {
    at: 10_014.511,
    text: 'The link healed, and node 2\'s next keep-alive is answered "expired": it stops leading and campaigns again, behind node 3. Made idempotent (the idempotent param), the service would have refused the second charge for period 7 as already paid.',
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
];
