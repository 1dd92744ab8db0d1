/**
 * Plain-language narration of trace records for the event log, e.g.
 *   "Node 3's election timer fired: it becomes a candidate for term 4 and asks 4 peers for votes"
 *   "Node 2 votes for node 3 in term 4 (its log is at least as up to date)"
 *   "RequestVote from node 5 to node 1 was dropped: the link is cut"
 * Pure functions of a record (and the record's algorithm, whose definition narrates its
 * own timers and messages); no simulation needed, so the app can narrate only the rows
 * on screen of a million-event log.
 */
import type { TraceRecord } from './sim/trace';
import { registry } from './registry';
import { plural } from './core/words';

const DROP_REASONS: Record<string, string> = {
  dead: 'the receiver is down',
  restarted: 'the receiver restarted since it was sent',
  cut: 'the link is cut',
  partition: 'the nodes are on different sides of a partition',
  loss: 'the network lost it',
  manual: 'dropped by hand',
};

/** "it becomes a candidate": the algorithm's own words for its states, else the state's name. */
function role(state: string | undefined, algorithm: string): string {
  if (!state) return 'unchanged';
  if (state === 'dead') return 'down';
  const words = registry[algorithm]?.stateWords ?? {};
  return words[state] ?? words[state.split('.').pop() ?? ''] ?? state.replace(/\./g, ' ');
}

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

function generic(r: TraceRecord, algorithm: string): string {
  const who = `Node ${r.node}`;
  const change = r.before !== r.after && r.after ? `: it becomes ${role(r.after, algorithm)}` : '';
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
    case 'deliver':
      return registry[algorithm]?.narrate(r) ?? generic(r, algorithm);
  }
}
