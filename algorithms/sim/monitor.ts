/**
 * Checks run after every event that changed a node's role, term or belief. They are
 * incremental (O(nodes) only when a summary changes) so they cost nothing on the
 * common event that changes no role.
 *
 * - election-safety (Raft): never two leaders in one term. An error.
 * - split-brain (Bully, Ring, lease): more than one alive node believes it leads at the
 *   same moment; recorded as an interval. A warning: a known weakness under partitions.
 * The cluster's leader (for the leader history) is the alive leader with the highest
 * term, ties broken by the highest id.
 */
import type { NodeSummary } from './types';
import type { Runtime, World } from './world';

export function observeNode(
  world: World,
  rt: Runtime,
  idx: number,
  before: NodeSummary,
  after: NodeSummary,
  eventIndex: number,
): void {
  const node = world.nodes[idx];
  if (after.role === 'leader' && rt.model.termSafety && after.term !== undefined) {
    const holder = world.termLeaders[after.term];
    if (holder === undefined) world.termLeaders[after.term] = node.id;
    else if (holder !== node.id)
      world.violations.push({
        invariant: 'election-safety',
        severity: 'error',
        t: world.now,
        nodes: [holder, node.id],
        detail: `nodes ${holder} and ${node.id} were both leader in term ${after.term}`,
        eventIndex,
      });
  }
  const leadershipMoved =
    before.role !== after.role || (after.role === 'leader' && before.term !== after.term);
  if (!leadershipMoved) return;

  let best = -1;
  let count = 0;
  const leaders: number[] = [];
  for (let k = 0; k < world.nodes.length; k++) {
    const s = rt.summaries[k];
    if (s.role !== 'leader' || !world.nodes[k].alive) continue;
    count++;
    leaders.push(world.nodes[k].id);
    if (best < 0) best = k;
    else {
      const b = rt.summaries[best];
      const t = s.term ?? 0;
      const bt = b.term ?? 0;
      if (t > bt || (t === bt && world.nodes[k].id > world.nodes[best].id)) best = k;
    }
  }
  const leader = best < 0 ? null : world.nodes[best].id;
  const term = best < 0 ? undefined : rt.summaries[best].term;
  if (leader !== world.leader || term !== world.leaderTerm) {
    world.leader = leader;
    world.leaderTerm = term;
    world.leaders.push(
      term === undefined ? { t: world.now, node: leader } : { t: world.now, node: leader, term },
    );
  }

  if (rt.model.termSafety) return;
  if (count > 1) {
    if (world.openSplit < 0) {
      world.openSplit = world.violations.length;
      world.violations.push({
        invariant: 'split-brain',
        severity: 'warning',
        t: world.now,
        nodes: leaders,
        detail: `nodes ${leaders.join(', ')} all believe they are the leader`,
        eventIndex,
      });
    } else {
      const v = world.violations[world.openSplit];
      const merged = Array.from(new Set([...v.nodes, ...leaders])).sort((a, b) => a - b);
      world.violations[world.openSplit] = {
        ...v,
        nodes: merged,
        detail: `nodes ${merged.join(', ')} all believed they were the leader`,
      };
    }
  } else if (world.openSplit >= 0) {
    world.violations[world.openSplit] = { ...world.violations[world.openSplit], until: world.now };
    world.openSplit = -1;
  }
}
