/**
 * ZooKeeper's leader-election recipe as one plug-in: the engine's model (model.ts) plus
 * what people see: words, message kinds, narration, inspector facts, lessons and the
 * messages-per-leader-change experiment.
 */
import type { AlgorithmDefinition, RoleClass } from '../core/definition';
import type { MessageBody, MessageKind } from '../sim/types';
import { lease } from '../lease';
import {
  servicesOf,
  zkDefaults,
  zkModel,
  zkParamsSchema,
  type ZkContext,
  type ZkParams,
} from './model';
import { pathOf, type ZkMessage } from './messages';
import { narrateZookeeper, ZK_WORDS } from './narration';
import { zookeeperLessons } from './lessons';
import { zookeeperExperiments } from './experiment';
import { children } from './zk';
import type { ZkReplicaContext } from './replica';
import { zookeeperPresets } from './presets';
import { RAFT_TYPES } from '../raft/replicated';
import {
  isReplicaState,
  replicaFacts,
  replicaKindOf,
  replicaLook,
  replicaMessages,
  replicaStateWords,
} from '../raft/replicatedWords';

/** A message's kind: its type's, but an answer that refuses (expired, fenced) is a refusal. */
function kindOf(body: MessageBody): MessageKind {
  const m = body as unknown as ZkMessage;
  if (RAFT_TYPES.includes(m.type)) return replicaKindOf(body);
  const refused =
    ((m.type === 'Created' || m.type === 'Pong') && !m.ok) ||
    (m.type === 'ChargeResult' && m.outcome !== 'charged');
  return refused ? 'refused' : messages[m.type].kind;
}

/** The role class of a worker state's leaf (the services' states are `other`). */
export const roleClasses: Record<string, RoleClass> = {
  leading: 'leader',
  watching: 'follower',
  arming: 'follower',
  connecting: 'candidate',
  creating: 'candidate',
  checking: 'candidate',
};

const roleOf = (state: string): RoleClass => roleClasses[state.split('.').pop() ?? ''] ?? 'other';

const messages: AlgorithmDefinition['messages'] = {
  Connect: { kind: 'request', text: 'A worker opens a session with a timeout' },
  Connected: { kind: 'granted', text: 'The service opened a session' },
  Ping: { kind: 'heartbeat', text: 'A worker keeps its session alive' },
  Pong: {
    kind: 'ack',
    kinds: ['ack', 'refused'],
    text: 'The session is alive (and whether it still has a watch set), or expired',
  },
  Create: {
    kind: 'request',
    text: 'Create an ephemeral sequential znode /election/n_<seq> for the session',
  },
  Created: {
    kind: 'granted',
    kinds: ['granted', 'refused'],
    text: 'The znode’s name, sequence number and creating zxid (the fencing token)',
  },
  GetChildren: { kind: 'request', text: 'Read the children of /election (herd: and watch them)' },
  Children: { kind: 'ack', text: 'The children of /election, by sequence number' },
  Exists: { kind: 'request', text: 'Does the predecessor exist? If so, watch it' },
  Stat: { kind: 'ack', text: 'It exists (the watch is set), or it is already gone' },
  WatchEvent: {
    kind: 'announcement',
    text: 'A watch fired, once: the children changed, or the watched znode was deleted',
  },
  // the leader and the payment service speak as in the lease election
  Charge: lease.messages.Charge,
  ChargeResult: lease.messages.ChargeResult,
  // an ensemble's replicas: Raft among themselves, and the refusal a worker gets
  ...replicaMessages(ZK_WORDS),
};

export const zookeeper: AlgorithmDefinition<ZkParams> = {
  ...zkModel,
  title: 'ZooKeeper recipe',
  description:
    'ZooKeeper’s leader-election recipe: the first node is a ZooKeeper-like service, the last a ' +
    'payment service, the others workers. Each worker opens a session (kept alive by pings), ' +
    'creates an ephemeral sequential znode under /election and leads if its znode has the ' +
    'lowest sequence number; the zxid that created it is its fencing token. The others wait on ' +
    'a watch that fires once: on the znode just below their own (the documented recipe: one ' +
    'worker wakes per leader change), or on all the children (the herd effect: every worker ' +
    'wakes). A silent session expires and its znode goes with it.',
  params: zkParamsSchema,
  defaults: zkDefaults,
  minNodes: 3,
  paramSets: [{ name: 'with an ensemble of 3 on Raft', params: { ensemble: 3 }, minNodes: 5 }],
  quorum: (params, ids) => {
    const members = servicesOf(ids, params);
    return { members, who: members.length > 1 ? 'ensemble replicas' : 'ZooKeeper service' };
  },
  validate(params, ids) {
    const out: { path: string; message: string }[] = [];
    const n = params.ensemble ?? 1;
    if (n > 1 && ids.length < n + 2)
      out.push({
        path: 'params.ensemble',
        message: `an ensemble of ${n} replicas needs at least ${n + 2} nodes (a worker and the payment service besides)`,
      });
    if (n > 1 && params.service !== undefined)
      out.push({
        path: 'params.service',
        message: 'with ensemble 3 or 5 the service is the first nodes listed: leave service unset',
      });
    if (n > 1 && params.payment !== undefined && ids.slice(0, n).includes(params.payment))
      out.push({
        path: 'params.payment',
        message: `node ${params.payment} is an ensemble replica`,
      });
    for (const key of ['service', 'payment'] as const) {
      const id = params[key];
      if (typeof id === 'number' && !ids.includes(id))
        out.push({ path: `params.${key}`, message: `unknown node id ${id}` });
    }
    return out;
  },
  vocabulary: { leader: 'leader', epoch: 'zxid' },
  // the service names the leader: the owner of the lowest znode
  leaderRule: 'lowest-revision',
  roles: [
    'leader',
    'candidate',
    'follower',
    { role: 'service', state: 'service' },
    { role: 'service', state: 'payment' },
  ],
  look(summary, state) {
    if (state === 'service') return { text: 'ZOOKEEPER', glyph: '▤', tone: 'system' };
    // an ensemble replica: the service's look, with its role in the ensemble's Raft group
    return replicaLook(ZK_WORDS, state) ?? lease.look?.(summary, state);
  },
  roleOf,
  initialRole: 'candidate',
  stateWords: {
    connecting: 'a worker opening a session',
    creating: 'a worker creating its znode',
    checking: 'a worker reading the children of /election',
    arming: 'a worker setting a watch on its predecessor',
    watching: 'a follower waiting for its watch to fire',
    leading: 'the leader',
    service: 'the ZooKeeper service',
    payment: 'the payment service',
    ...replicaStateWords(ZK_WORDS),
  },
  messages,
  kindOf,
  explain(before, after, event) {
    const c = before.context as ZkContext;
    // an ensemble replica: how far its applied state moved (entries committed and applied)
    if (c.role === 'zk' && 'log' in c) {
      const a = after.context as ZkReplicaContext;
      return a.applied > c.applied ? `applied ${a.applied}` : undefined;
    }
    if (c.role === 'zk' && event.type === 'Ping') {
      const e = event as unknown as { from: number; session: number };
      return c.zk.sessions[e.session]?.owner === e.from ? 'renewed' : 'expired';
    }
    // the payment service's decision on a charge, as the lease election explains it
    return lease.explain?.(before, after, event);
  },
  timers: {
    EXPIRE:
      'A session went silent for its timeout at the service (an ensemble’s leader proposes closing it)',
    SESSION_TIMEOUT:
      'A worker heard nothing of its session from an ensemble for a whole timeout: it may be gone',
    ELECTION_TIMEOUT: 'An ensemble replica heard from no leader in time',
    HEARTBEAT: 'The ensemble leader’s heartbeat interval',
    QUORUM_CHECK: 'The ensemble leader checks that a majority of replicas answered lately',
    PING: 'A worker’s ping interval (a third of the session timeout)',
    RETRY: 'No answer from the service in time: ask again',
    TICK: 'The billing period',
    TIMEOUT: 'A timeout forced by the user',
  },
  epochName: (state) =>
    state === 'service' || isReplicaState(state) ? 'zxid' : (lease.epochName?.(state) ?? 'token'),
  epochText: (s, state) =>
    (state === 'service' || isReplicaState(state)) && s.term !== undefined
      ? `zxid ${s.term}`
      : (lease.epochText?.(s, state) ?? ''),
  contextFields: {
    config: [
      'service',
      'payment',
      'recipe',
      'sessionTimeout',
      'pingInterval',
      'retry',
      'billingPeriod',
      'customers',
    ],
    micros: ['sessionTimeout', 'pingInterval', 'retry', 'billingPeriod'],
  },
  narrate: narrateZookeeper,
  facts(node) {
    const c = node.context as ZkContext | undefined;
    if (!c) return [];
    if (c.role === 'zk')
      return [
        ...('log' in c ? replicaFacts(ZK_WORDS, c) : []),
        { label: 'zxid', value: String(c.zk.zxid), hint: 'Grows with every transaction' },
        {
          label: 'znodes',
          value:
            children(c.zk)
              .map((z) => `${pathOf(z.name)} (node ${z.owner}, zxid ${z.czxid})`)
              .join(', ') || 'none',
          hint: 'The lowest sequence number leads',
        },
        {
          label: 'sessions',
          value: Object.keys(c.zk.sessions).length.toString(),
          hint: 'Each expires after its timeout without a ping',
        },
        {
          label: 'watches',
          value:
            c.zk.watches
              .map((w) => `node ${w.node} on ${w.kind === 'children' ? 'children' : w.path}`)
              .join(', ') || 'none',
          hint: 'Each fires once and is gone',
        },
      ];
    if (c.role === 'payment') return lease.facts?.(node) ?? [];
    return [
      { label: 'recipe', value: c.recipe },
      { label: 'znode', value: c.znode ? pathOf(c.znode.name) : 'none' },
      {
        label: 'fencing token',
        value: c.token > 0 ? String(c.token) : 'none yet',
        hint: 'The zxid that created its znode',
      },
      { label: 'watching', value: c.watched ?? 'nothing' },
      { label: 'woken', value: String(c.wakeups), hint: 'Watch events that woke it' },
    ];
  },
  invariants: {
    ledger: lease.invariants!.ledger,
    'duplicate-charge': lease.invariants!['duplicate-charge'],
    zxid: {
      title: 'zxid',
      promise: 'the service’s zxid never goes backwards, restarts included',
    },
    'ensemble-log': {
      title: 'Ensemble replicas agree',
      promise: 'no two ensemble replicas apply different transactions at the same log index',
    },
  },
  presets: zookeeperPresets,
  lessons: zookeeperLessons,
  experiments: zookeeperExperiments,
};
