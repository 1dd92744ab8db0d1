/**
 * Raft's safety properties (Figure 3 of the paper), checked after every event that
 * changed a node's log, commit index, term or role (the engine calls checkRaftLogs for
 * every change of a node's context or state):
 * - state-machine-safety: no two nodes ever commit different entries (term and command)
 *   at the same index. Checked over every index a node newly commits and every committed
 *   index whose entry it changes, whether or not its commit index grows at that moment;
 * - leader-completeness: a leader's log holds every entry committed in an earlier term,
 *   checked when a node becomes leader or its log changes, and for every leader when new
 *   entries become committed;
 * - log-matching: if two logs hold an entry with the same index and term, they are
 *   identical (terms and commands) up to that index;
 * - commit-durability: a committed entry is stored on a majority of the nodes (dead ones
 *   count: their log survives the crash). It is what the other properties rest on, and it
 *   fails at the very event that loses a committed entry (a log lost on restart, a
 *   truncation of acknowledged entries), long before a conflicting commit would show it.
 *
 * Two rules behind election safety and state-machine safety are checked where they are
 * applied, so that breaking them shows at once, not only in the rare schedule where it
 * ends in two leaders or two different commits:
 * - vote-counting: a candidate counts only votes granted to it in its own term. When it
 *   counts a vote, the voter's persistent state must show it: a voter still in an earlier
 *   term, or in the same term having voted for someone else, did not grant it;
 * - commit-rule (§5.4.2): a leader moves its commit index only onto an entry of its own
 *   term (earlier entries are committed with it, never by counting their replicas).
 *
 * Committed entries are remembered in world.invariantState: the first entry known
 * committed at each index, and the term of the node that first knew it (the leader that
 * committed it), because the node that committed an entry may crash and forget its
 * commit index. The arrays are replaced, never changed in place: checkpoints share them.
 */
import type { NodeCheck } from '../sim/types';
import { reportViolation, type World } from '../sim/world';
import type { RaftContext } from './machine';
import type { LogEntry } from './messages';

interface Committed {
  entries: LogEntry[];
  /** For each committed index, the term of the node that first knew it committed. */
  terms: number[];
}

const KEY = 'raftCommitted';

function committedOf(world: World): Committed {
  return (world.invariantState[KEY] as Committed | undefined) ?? { entries: [], terms: [] };
}

const same = (a: LogEntry | undefined, b: LogEntry | undefined) =>
  a === b || (a !== undefined && b !== undefined && a.term === b.term && a.command === b.command);

/** The first index (0-based) where two logs differ, or the shorter length if one extends the other. */
function firstDifference(a: readonly LogEntry[], b: readonly LogEntry[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (!same(a[i], b[i])) return i;
  return n;
}

const show = (e: LogEntry) => `term ${e.term} command ${e.command}`;

function logOf(world: World, k: number): LogEntry[] {
  return (world.nodes[k].snapshot.context as RaftContext).log;
}

/** How many nodes (alive or dead: a log survives a crash) hold `entry` at index i (0-based). */
function holders(world: World, i: number, entry: LogEntry): number {
  let count = 0;
  for (let k = 0; k < world.nodes.length; k++)
    if (world.nodes[k].snapshot && same(logOf(world, k)[i], entry)) count++;
  return count;
}

export function checkRaftLogs({ world, idx, prev, eventIndex }: NodeCheck): void {
  const node = world.nodes[idx];
  const c = node.snapshot.context as RaftContext;
  const p = prev?.context as RaftContext | undefined;
  const logChanged = !p || p.log !== c.log;
  const becameLeader =
    node.snapshot.value === 'leader' && (prev?.value !== 'leader' || p?.term !== c.term);
  if (p && prev?.value === 'candidate' && p.term === c.term && c.votes !== p.votes)
    checkVotes(world, node.id, c, p, eventIndex);
  if (p && !logChanged && p.commitIndex === c.commitIndex && !becameLeader) return;

  if (
    p &&
    prev?.value === 'leader' &&
    node.snapshot.value === 'leader' &&
    p.term === c.term &&
    c.commitIndex > p.commitIndex &&
    c.log[c.commitIndex - 1].term !== c.term
  )
    reportViolation(world, {
      invariant: 'commit-rule',
      severity: 'error',
      nodes: [node.id],
      detail: `leader ${node.id} of term ${c.term} moved its commit index to entry ${c.commitIndex} of term ${c.log[c.commitIndex - 1].term}`,
      eventIndex,
    });

  const majority = Math.floor(world.nodes.length / 2) + 1;
  const before = committedOf(world);
  let entries = before.entries;
  let terms = before.terms;
  const changedFrom = logChanged ? firstDifference(p?.log ?? [], c.log) : c.log.length;

  // commit-durability: entries this node held at committed indices and no longer holds
  if (p && changedFrom < entries.length) {
    for (let i = changedFrom; i < entries.length; i++) {
      if (!same(p.log[i], entries[i]) || same(c.log[i], entries[i])) continue;
      const have = holders(world, i, entries[i]);
      if (have < majority) {
        reportViolation(world, {
          invariant: 'commit-durability',
          severity: 'error',
          nodes: [node.id],
          detail: `node ${node.id} lost committed entry ${i + 1} (${show(entries[i])}): only ${have} of ${world.nodes.length} nodes still hold it`,
          eventIndex,
        });
        break;
      }
    }
  }

  // state-machine-safety: every index this node newly commits, or whose committed entry it changed
  const from = Math.min(p ? p.commitIndex : 0, changedFrom);
  const grownFrom = entries.length;
  for (let i = from; i < c.commitIndex; i++) {
    const e = c.log[i];
    if (i < entries.length) {
      if (!same(entries[i], e)) {
        reportViolation(world, {
          invariant: 'state-machine-safety',
          severity: 'error',
          nodes: [node.id],
          detail: `node ${node.id} committed ${show(e)} at index ${i + 1}, where ${show(entries[i])} was committed`,
          eventIndex,
        });
        break;
      }
    } else {
      if (entries === before.entries) {
        entries = entries.slice();
        terms = terms.slice();
      }
      entries.push(e);
      terms.push(c.term);
    }
  }
  if (entries !== before.entries) {
    world.invariantState = { ...world.invariantState, [KEY]: { entries, terms } };
    // commit-durability: an entry is only committed while a majority stores it
    for (let i = grownFrom; i < entries.length; i++) {
      const have = holders(world, i, entries[i]);
      if (have < majority) {
        reportViolation(world, {
          invariant: 'commit-durability',
          severity: 'error',
          nodes: [node.id],
          detail: `node ${node.id} committed entry ${i + 1} (${show(entries[i])}) stored on only ${have} of ${world.nodes.length} nodes`,
          eventIndex,
        });
        break;
      }
    }
    // leader-completeness for every other leader, over the entries committed just now
    for (let k = 0; k < world.nodes.length; k++) {
      const other = world.nodes[k];
      if (k === idx || !other.alive || other.snapshot.value !== 'leader') continue;
      const o = other.snapshot.context as RaftContext;
      for (let i = grownFrom; i < entries.length; i++)
        if (terms[i] < o.term && !same(o.log[i], entries[i])) {
          incomplete(world, other.id, o.term, i, entries[i], eventIndex);
          break;
        }
    }
  }

  // leader-completeness for this node
  if (node.snapshot.value === 'leader' && (logChanged || becameLeader)) {
    for (let i = 0; i < entries.length; i++)
      if (terms[i] < c.term && !same(c.log[i], entries[i])) {
        incomplete(world, node.id, c.term, i, entries[i], eventIndex);
        break;
      }
  }

  // log-matching against every other node's log (dead nodes keep theirs)
  if (!logChanged || c.log.length === 0) return;
  for (const other of world.nodes) {
    if (other.id === node.id || !other.snapshot) continue;
    const o = (other.snapshot.context as RaftContext).log;
    // the highest index where both logs hold the same term must have identical prefixes
    for (let i = Math.min(o.length, c.log.length) - 1; i >= 0; i--) {
      if (o[i].term !== c.log[i].term) continue;
      for (let k = 0; k <= i; k++)
        if (!same(o[k], c.log[k])) {
          reportViolation(world, {
            invariant: 'log-matching',
            severity: 'error',
            nodes: [node.id, other.id],
            detail: `nodes ${node.id} and ${other.id} agree at index ${i + 1} (term ${c.log[i].term}) but differ at index ${k + 1}`,
            eventIndex,
          });
          return;
        }
      break;
    }
  }
}

/** Every vote a candidate just counted was granted to it in its term, as the voter's state shows. */
function checkVotes(
  world: World,
  id: number,
  c: RaftContext,
  p: RaftContext,
  eventIndex: number,
): void {
  for (const voter of c.votes) {
    if (voter === id || p.votes.includes(voter)) continue;
    const other = world.nodes.find((n) => n.id === voter);
    if (!other?.snapshot) continue;
    const v = other.snapshot.context as RaftContext;
    // a voter that has moved past this term since cannot be judged from its state now
    if (v.term > c.term || (v.term === c.term && v.votedFor === id)) continue;
    reportViolation(world, {
      invariant: 'vote-counting',
      severity: 'error',
      nodes: [id, voter],
      detail: `candidate ${id} of term ${c.term} counted a vote from node ${voter}, which is in term ${v.term} and voted for ${v.votedFor ?? 'nobody'}`,
      eventIndex,
    });
  }
}

function incomplete(
  world: World,
  id: number,
  term: number,
  i: number,
  e: LogEntry,
  eventIndex: number,
): void {
  reportViolation(world, {
    invariant: 'leader-completeness',
    severity: 'error',
    nodes: [id],
    detail: `leader ${id} of term ${term} lacks committed entry ${i + 1} (${show(e)})`,
    eventIndex,
  });
}
