/**
 * Paxos leader election (Multi-Paxos phase 1, with phase 2 for client values) as one
 * plug-in: the engine's model (model.ts) plus what people see: words, message kinds,
 * narration, inspector facts, presets and lessons.
 */
import type { AlgorithmDefinition, RoleClass } from '../core/definition';
import type { MessageBody, MessageKind } from '../sim/types';
import {
  paxosDefaults,
  paxosModel,
  paxosParamsSchema,
  type PaxosParams,
  type PaxosParamsInput,
} from './model';
import type { PaxosContext } from './machine';
import { ballotText, NOOP, type PaxosMessage } from './messages';
import { narratePaxos } from './narration';
import { paxosPresets } from './presets';
import { paxosLessons } from './lessons';

function kindOf(body: MessageBody): MessageKind {
  const m = body as unknown as PaxosMessage;
  switch (m.type) {
    case 'Prepare':
      return 'request';
    case 'Promise':
      return 'granted';
    case 'Nack':
      return 'refused';
    case 'Accept':
      return 'request';
    case 'Accepted':
      return 'ack';
    case 'Decide':
      return 'announcement';
    case 'Heartbeat':
      return 'heartbeat';
  }
}

const ROLE_OF: Record<string, RoleClass> = {
  follower: 'follower',
  candidate: 'candidate',
  leader: 'leader',
};

/** Params as validated (timing may be unset) or as resolved for a network. */
type Params = PaxosParamsInput | PaxosParams;

const valueText = (v: number) => (v === NOOP ? 'no-op' : String(v));

export const paxos: AlgorithmDefinition<Params> = {
  ...paxosModel,
  title: 'Paxos',
  description:
    'Multi-Paxos (Lamport, Paxos Made Simple): every node is a proposer and an acceptor. A node ' +
    'that hears no heartbeat within a random election timeout proposes a ballot (round, id) ' +
    'higher than any it has seen and sends Prepare; an acceptor promises a ballot at least as ' +
    'high as any it promised before and reports the values it has accepted, or refuses with a ' +
    'Nack. Promises from a majority make the proposer leader of that ballot: it re-proposes ' +
    'the highest-ballot value of every slot it learned (no up-to-date rule as in Raft), then ' +
    'sends heartbeats and proposes client commands; a value accepted by a majority in one ' +
    'ballot is chosen. Option: leader leases (acceptors refuse other proposers while a lease runs).',
  params: paxosParamsSchema,
  defaults: paxosDefaults,
  vocabulary: { leader: 'leader', epoch: 'ballot' },
  leaderRule: 'term',
  roles: ['leader', 'candidate', 'follower'],
  look(_summary, state) {
    if (state === 'candidate') return { text: 'PROPOSER', glyph: '⚑' };
    return undefined;
  },
  roleOf: (state) => ROLE_OF[state] ?? 'other',
  initialRole: 'follower',
  stateWords: {
    follower: 'a follower (acceptor)',
    candidate: 'a proposer in phase 1',
    leader: 'the leader',
  },
  messages: {
    Prepare: {
      kind: 'request',
      text: 'Phase 1a: a proposer asks the acceptors to promise a ballot',
    },
    Promise: {
      kind: 'granted',
      text: 'Phase 1b: an acceptor promises the ballot and reports the values it accepted',
    },
    Nack: { kind: 'refused', text: 'An acceptor refuses: it has promised a higher ballot' },
    Accept: {
      kind: 'request',
      text: 'Phase 2a: the leader asks the acceptors to accept values in its ballot',
    },
    Accepted: { kind: 'ack', text: 'Phase 2b: an acceptor accepted the values' },
    Decide: { kind: 'announcement', text: 'A value is chosen: a majority accepted it' },
    Heartbeat: {
      kind: 'heartbeat',
      text: 'The leader is alive; carries the values chosen so far',
    },
  },
  kindOf,
  explain(before, after, event) {
    const b = before.context as PaxosContext;
    const a = after.context as PaxosContext;
    const e = event as unknown as PaxosMessage;
    switch (e.type) {
      case 'Prepare':
        return a.promised === e.ballot ? 'promised' : 'refused';
      case 'Accept':
      case 'Heartbeat':
        return a.promised === e.ballot ? 'accepted' : 'refused';
      case 'Promise':
        return a.promises === b.promises
          ? undefined
          : `promises ${a.promises.length}/${a.majority}`;
      case 'Accepted': {
        const news: string[] = [];
        a.chosen.forEach((v, i) => {
          if (v !== null && (b.chosen[i] ?? null) === null)
            news.push(`slot ${i + 1} = ${valueText(v)}`);
        });
        return news.length === 0 ? undefined : `chosen ${news.join(', ')}`;
      }
      default:
        return undefined;
    }
  },
  timers: {
    ELECTION_TIMEOUT:
      'The election timer: no heartbeat from a leader for a random time within the election timeout',
    HEARTBEAT: 'The leader’s heartbeat interval',
    LEASE_EXPIRED: 'The lease on the current leader ran out (leases only)',
    TIMEOUT: 'A timeout forced by the user',
    ClientRequest: 'A client’s command handed to the leader',
  },
  epochText: (s) => (s.term === undefined ? '' : `ballot ${ballotText(s.term)}`),
  termValue: ballotText,
  contextFields: {
    config: ['majority', 'electionMin', 'electionMax', 'heartbeat', 'lease'],
    micros: ['electionMin', 'electionMax', 'heartbeat', 'lease'],
  },
  narrate: narratePaxos,
  facts({ context, state }) {
    const c = context as PaxosContext | undefined;
    if (!c) return [];
    const accepted = c.accepted.filter((x) => x !== null).length;
    const chosen = c.chosen.filter((x) => x !== null).length;
    const out = [
      {
        label: 'promised',
        value: `ballot ${ballotText(c.promised)}`,
        hint: 'The acceptor ignores every lower ballot; kept across a crash',
      },
      {
        label: 'accepted',
        value: `${accepted} slot${accepted === 1 ? '' : 's'}`,
        hint: 'Values accepted, each with its ballot; kept across a crash',
      },
      {
        label: 'chosen',
        value: `${chosen} slot${chosen === 1 ? '' : 's'} known chosen`,
        hint: 'A value accepted by a majority in one ballot is chosen for good',
      },
    ];
    if (state !== 'follower')
      out.unshift({
        label: 'ballot',
        value: `${ballotText(c.ballot)} (round ${Math.floor(c.ballot / 1000)}, node ${c.id})`,
        hint: 'The ballot it campaigns or leads in: (round, id), compared round first',
      });
    return out;
  },
  log(context) {
    const c = context as PaxosContext | undefined;
    if (!c) return null;
    // the accepted values with their ballot's round; the prefix known chosen is committed
    const entries = c.accepted.map((a, i) => ({
      term: a === null ? 0 : Math.floor(a.ballot / 1000),
      command: c.chosen[i] ?? a?.value ?? NOOP,
    }));
    let commit = 0;
    while (commit < c.chosen.length && c.chosen[commit] !== null) commit++;
    return { entries, commit: Math.min(commit, entries.length) };
  },
  clientRequest: { event: 'ClientRequest', text: 'Send the leader a client command (W)' },
  invariants: {
    'chosen-stable': {
      title: 'Chosen values are stable',
      promise: 'once a majority accepted a value in a slot, no other value is chosen there',
    },
    'learned-chosen': {
      title: 'Learners learn chosen values',
      promise: 'a value a node learns as chosen is the one a majority accepted',
    },
    'leader-recovery': {
      title: 'Phase-1 recovery',
      promise: 'a new leader proposes every value chosen in a lower ballot',
    },
    'acceptor-durability': {
      title: 'Acceptor durability',
      promise:
        'a promise never goes down and an accepted value is replaced only by a higher ballot',
    },
  },
  presets: paxosPresets,
  lessons: paxosLessons,
  // No `heartbeatMs` yet: declaring it enrols Paxos in the downtime experiment, whose
  // defaults and tests list the algorithms that take part.
};
