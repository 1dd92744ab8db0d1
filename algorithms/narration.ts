/**
 * Plain-language narration of trace records for the event log, e.g.
 *   "Node 3's election timer fired: it becomes a candidate for term 4 and asks 4 peers for votes"
 *   "Node 2 votes for node 3 in term 4 (its log is at least as up to date)"
 *   "RequestVote from node 5 to node 1 was dropped: the link is cut"
 * Pure functions of a record (and the record's algorithm); no simulation needed, so the
 * app can narrate only the rows on screen of a million-event log.
 */
import type { TraceRecord } from './sim/trace';

const DROP_REASONS: Record<string, string> = {
  dead: 'the receiver is down',
  restarted: 'the receiver restarted since it was sent',
  cut: 'the link is cut',
  partition: 'the nodes are on different sides of a partition',
  loss: 'the network lost it',
  manual: 'dropped by hand',
};

const ROLE_WORDS: Record<string, string> = {
  follower: 'a follower',
  precandidate: 'a pre-candidate',
  candidate: 'a candidate',
  leader: 'the leader',
  waiting: 'waiting for a coordinator',
  leading: 'the leader',
  watching: 'a follower watching the election keys',
  granting: 'a worker asking for a lease',
  campaigning: 'a campaigning worker',
  dead: 'down',
};

function role(state: string | undefined): string {
  if (!state) return 'unchanged';
  return ROLE_WORDS[state] ?? ROLE_WORDS[state.split('.').pop() ?? ''] ?? state.replace(/\./g, ' ');
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function faultText(r: TraceRecord): string {
  const who = `node ${r.node}`;
  const noop = r.reason ? ` (nothing happens: ${r.reason})` : '';
  switch (r.type) {
    case 'kill':
      return `You crash ${who}${noop}`;
    case 'restart':
      return `You restart ${who}: it comes back with only its persistent state${noop}`;
    case 'pause':
      return `You pause ${who}: its timers and inbox wait${noop}`;
    case 'resume':
      return `You resume ${who}: it catches up on everything that waited${noop}`;
    case 'timeout':
      return `You make ${who}'s timer fire now${noop}`;
    case 'cut':
      return `You cut a link${noop}`;
    case 'heal':
      return `You heal a link${noop}`;
    case 'partition':
      return 'You split the network into a partition';
    case 'healAll':
      return `You heal every link and partition${noop}`;
    case 'setLatency':
      return 'You change the network latency';
    case 'setLoss':
      return 'You change the loss rate';
    case 'deliver':
      return `You choose to deliver a message to ${who} now${noop}`;
    case 'drop':
      return `You drop a message to ${who}${noop}`;
    case 'fire':
      return `You fire a timer of ${who} now${noop}`;
    case 'clock':
      return `You change ${who}'s clock rate: its timers now run faster or slower than true time`;
    case 'request':
      return `A client sends a request to ${who}${noop}`;
    default:
      return `${r.type}${noop}`;
  }
}

function raftTimer(r: TraceRecord): string | null {
  const who = `Node ${r.node}`;
  const term = r.term ?? 0;
  if (r.type === 'ELECTION_TIMEOUT' || r.type === 'TIMEOUT') {
    const why = r.type === 'TIMEOUT' ? 'was forced to time out' : "'s election timer fired";
    const head = r.type === 'TIMEOUT' ? `${who} ${why}` : `${who}${why}`;
    if (r.after === 'candidate' && r.before === 'candidate')
      return `${head}: still no leader, so it starts a new election for term ${term} and asks ${plural(r.sent ?? 0, 'peer')} for votes`;
    if (r.after === 'candidate')
      return `${head}: it becomes a candidate for term ${term} and asks ${plural(r.sent ?? 0, 'peer')} for votes`;
    if (r.after === 'precandidate')
      return `${head}: it asks ${plural(r.sent ?? 0, 'peer')} whether they would vote for it in term ${term + 1} (pre-vote)`;
    if (r.after === 'leader')
      return `${head}: alone, it is its own majority and leads term ${term}`;
  }
  if (r.type === 'HEARTBEAT')
    return `${who} sends a heartbeat to ${plural(r.sent ?? 0, 'follower')} (term ${term})`;
  if (r.type === 'QUORUM_CHECK')
    return r.after === 'leader'
      ? `${who} checks that a majority answered recently: it did, it stays leader`
      : `${who} has not heard from a majority: it steps down (check-quorum)`;
  return null;
}

function raftDeliver(r: TraceRecord): string | null {
  const who = `Node ${r.node}`;
  const from = `node ${r.from}`;
  const term = r.term ?? 0;
  const label = r.label ?? r.type;
  switch (r.type) {
    case 'RequestVote':
      if (label.startsWith('PreVote'))
        return `${who} answers ${from}'s pre-vote request (${label})`;
      if (r.votedFor === r.from)
        return `${who} votes for ${from} in term ${term} (its log is at least as up to date)`;
      if (r.before === 'leader' && r.after === 'leader')
        return `${who}, the leader, ignores ${from}'s vote request (check-quorum lease)`;
      return `${who} refuses to vote for ${from} in term ${term}${r.votedFor != null ? ` (it already voted for node ${r.votedFor})` : ''}`;
    case 'RequestVoteResponse':
      if (r.before !== 'leader' && r.after === 'leader')
        return `${who} receives a vote from ${from}: with a majority it becomes the leader of term ${term}`;
      if (r.before === 'precandidate' && r.after === 'candidate')
        return `${who} has a majority of pre-votes: it starts a real election for term ${term}`;
      if (r.after === 'follower' && r.before !== 'follower')
        return `${who} sees term ${term} in ${from}'s answer and steps down to follower`;
      return `${who} receives ${from}'s answer (${label})`;
    case 'AppendEntries':
      if (r.before !== 'follower' && r.after === 'follower')
        return `${who} hears from ${from}, the leader of term ${term}, and steps down to follower`;
      return `${who} accepts a heartbeat from ${from}, the leader of term ${term}, and resets its election timer`;
    case 'AppendEntriesResponse':
      if (r.after === 'follower' && r.before === 'leader')
        return `${who} sees a higher term (${term}) in ${from}'s answer and steps down`;
      return `${who} hears back from ${from} (${label})`;
    default:
      return null;
  }
}

const became = (r: TraceRecord, state: string) => r.before !== state && r.after === state;

/** Bully and Ring share their words: coordinator, election, heartbeats. */
function classicTimer(r: TraceRecord, algorithm: string): string | null {
  const who = `Node ${r.node}`;
  const sent = r.sent ?? 0;
  switch (r.type) {
    case 'FAILURE':
      return algorithm === 'bully'
        ? `${who} hears no heartbeat from the coordinator in time: it holds an election and sends ELECTION to ${plural(sent, 'higher node')}`
        : `${who} hears no heartbeat from the leader in time: it starts an election round the ring`;
    case 'TIMEOUT':
      return `${who} was forced to suspect the leader: it starts an election`;
    case 'ANSWER_TIMEOUT':
      return r.after === 'leader'
        ? `No higher node answered ${who.toLowerCase()}'s ELECTION in time: it declares itself coordinator and tells ${plural(sent, 'node')}`
        : null;
    case 'COORDINATOR_TIMEOUT':
      return `${who} waited too long for a COORDINATOR message: it starts the election again`;
    case 'ACK_TIMEOUT':
      return `${who}'s successor did not acknowledge in time: it skips it and sends to the next node on the ring`;
    case 'TICK':
    case 'HEARTBEAT':
      return `${who}, the leader, sends heartbeats to ${plural(sent, 'node')}`;
    default:
      return null;
  }
}

function classicDeliver(r: TraceRecord, algorithm: string): string | null {
  const who = `Node ${r.node}`;
  const from = `node ${r.from}`;
  const label = r.label ?? r.type;
  switch (r.type) {
    case 'ELECTION':
      if (algorithm === 'bully')
        return `${who} gets ELECTION from lower ${from}: it answers OK${became(r, 'candidate') ? ' and holds its own election' : ''}`;
      if (became(r, 'leader'))
        return `${who} gets ${label}: its own id made it all the way round, so it is the leader`;
      return r.sent
        ? `${who} gets ${label} from ${from}, acknowledges it and passes an election message on`
        : `${who} gets ${label} from ${from} and acknowledges it (nothing to pass on)`;
    case 'ANSWER':
      return `${who} gets OK from higher ${from}: a higher node is alive, so it steps back and waits for COORDINATOR`;
    case 'COORDINATOR':
    case 'ELECTED':
      return `${who} learns that node ${r.leader ?? r.from} is the ${algorithm === 'bully' ? 'coordinator' : 'leader'}${r.before === 'leader' ? ' and steps down' : ''}`;
    case 'HEARTBEAT':
      return r.before !== r.after && r.after === 'follower'
        ? `${who} hears a heartbeat from ${from}, a leader it must follow, and steps down`
        : `${who} hears the leader's heartbeat and resets its failure timer`;
    case 'ACK':
      return `${who} gets ${from}'s acknowledgement: the hop worked`;
    default:
      return null;
  }
}

function leaseDeliver(r: TraceRecord): string | null {
  const who = `Node ${r.node}`;
  const label = r.label ?? r.type;
  switch (r.type) {
    case 'LeaseGrant':
      return `The store grants node ${r.from} a lease`;
    case 'KeepAlive':
      return `The store restarts node ${r.from}'s lease (${label})`;
    case 'Campaign':
      return `The store creates node ${r.from}'s election key, bound to its lease, if it is absent`;
    case 'Watch':
      return `Node ${r.from} starts watching the election keys`;
    case 'LeaseGranted':
      return `${who} has a lease (${label}) and campaigns: it creates its key under /election/`;
    case 'CampaignResult':
      if (became(r, 'worker.leading'))
        return `${who}'s key exists (${label}) and has the lowest create revision: it is the leader, with that revision as its fencing token`;
      return `${who}'s key exists (${label}): that create revision is its fencing token`;
    case 'WatchEvent':
      if (became(r, 'worker.leading'))
        return `${who} sees its key has the lowest create revision: it is the leader`;
      if (r.after === 'worker.granting' && r.before !== r.after)
        return `${who} sees its key is gone: its lease expired, so it takes a new lease and campaigns again`;
      return `${who} sees the election keys change (${label})`;
    case 'KeepAliveAck':
      return label.startsWith('Expired')
        ? `${who} learns its lease expired: it takes a new one and campaigns again`
        : `${who}'s lease is alive`;
    case 'Charge':
      return `The payment service receives ${label} from node ${r.from}`;
    case 'ChargeResult':
      return `${who} hears back: ${label}`;
    default:
      return null;
  }
}

function leaseTimer(r: TraceRecord): string | null {
  const who = `Node ${r.node}`;
  switch (r.type) {
    case 'EXPIRE':
      return `A lease ran out at the store: its keys are deleted and the watchers told`;
    case 'TICK':
      return r.before === 'worker.leading'
        ? `${who}, the leader, charges the customers due this period`
        : null;
    case 'KEEPALIVE':
      return `${who} sends a keep-alive for its lease`;
    case 'RETRY':
      return `${who} got no answer from the store in time and asks again`;
    default:
      return null;
  }
}

function generic(r: TraceRecord): string {
  const who = `Node ${r.node}`;
  const change = r.before !== r.after && r.after ? `: it becomes ${role(r.after)}` : '';
  const sent = r.sent ? ` and sends ${plural(r.sent, 'message')}` : '';
  if (r.kind === 'timer') return `${who}'s ${r.type} timer fired${change}${sent}`;
  return `${who} receives ${r.label ?? r.type} from node ${r.from}${change}${sent}`;
}

export function narrate(r: TraceRecord, algorithm: string): string {
  switch (r.kind) {
    case 'fault':
      return faultText(r);
    case 'drop':
      if (r.msg === undefined) return `A timer of node ${r.node} was void: the node is down`;
      return `${r.label ?? r.type} from node ${r.from} to node ${r.node} was dropped: ${DROP_REASONS[r.reason ?? ''] ?? r.reason}`;
    case 'hold':
      return r.msg !== undefined
        ? `${r.label ?? r.type} from node ${r.from} waits in paused node ${r.node}'s inbox`
        : `Node ${r.node}'s ${r.type} timer is due, but the node is paused: it waits`;
    case 'timer':
      return (
        (algorithm === 'raft' && raftTimer(r)) ||
        ((algorithm === 'bully' || algorithm === 'ring') && classicTimer(r, algorithm)) ||
        (algorithm === 'lease' && leaseTimer(r)) ||
        generic(r)
      );
    case 'deliver':
      return (
        (algorithm === 'raft' && raftDeliver(r)) ||
        ((algorithm === 'bully' || algorithm === 'ring') && classicDeliver(r, algorithm)) ||
        (algorithm === 'lease' && leaseDeliver(r)) ||
        generic(r)
      );
  }
}
