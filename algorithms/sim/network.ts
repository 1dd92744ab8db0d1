/**
 * The network model: latency uniform in [min, max] per message (per-link override),
 * loss, optional per-link FIFO, duplicates, one-way or two-way cuts and partition
 * groups. A message's fate against cuts and partitions is decided at delivery time, so
 * a cut made while a message is in flight drops it ("cut").
 */
import type { Rng } from './rng';
import type { Time } from './time';
import type { DropReason, NetworkTiming, NodeId } from './types';

export interface LatencyUs {
  min: Time;
  max: Time;
}

export interface LinkOverride {
  latency?: LatencyUs;
  loss?: number;
}

export interface NetworkState {
  latency: LatencyUs;
  loss: number;
  fifo: boolean;
  duplicate: number;
  /** µs: each timer fires up to this much late (uniform); 0 = exact timers. */
  timerJitter: number;
  /** Per directed link, keyed by linkKey(from, to). */
  links: Record<number, LinkOverride>;
  /** Directed cuts, keyed by linkKey(from, to). */
  cuts: Record<number, true>;
  /** Number of entries in `links` and `cuts`: lets the hot path skip the lookups. */
  linkCount: number;
  cutCount: number;
  /** Partition group per node; null when there is no partition. */
  group: Record<NodeId, number> | null;
  /** FIFO: last scheduled delivery time per directed link. */
  lastDelivery: Record<number, Time>;
}

/** A directed link as one integer (node ids are below 1024): cheap to hash, JSON-safe. */
export const linkKey = (from: NodeId, to: NodeId): number => from * 1024 + to;

export function sampleLatency(net: NetworkState, from: NodeId, to: NodeId, rng: Rng): Time {
  const range =
    net.linkCount === 0 ? net.latency : (net.links[linkKey(from, to)]?.latency ?? net.latency);
  return rng.int(range.min, range.max);
}

export function lossOf(net: NetworkState, from: NodeId, to: NodeId): number {
  return net.linkCount === 0 ? net.loss : (net.links[linkKey(from, to)]?.loss ?? net.loss);
}

/** Delivery time for a message sent now, honouring per-link FIFO when enabled. */
export function deliveryTime(
  net: NetworkState,
  from: NodeId,
  to: NodeId,
  now: Time,
  rng: Rng,
): Time {
  let at = now + sampleLatency(net, from, to, rng);
  if (net.fifo) {
    const key = linkKey(from, to);
    const last = net.lastDelivery[key];
    if (last !== undefined && last > at) at = last;
    net.lastDelivery[key] = at;
  }
  return at;
}

/** Why the network would refuse from -> to right now, or null if the path is open. */
export function blocked(net: NetworkState, from: NodeId, to: NodeId): DropReason | null {
  if (from === to) return null;
  if (net.cutCount > 0 && net.cuts[linkKey(from, to)]) return 'cut';
  const g = net.group;
  if (g !== null && g[from] !== g[to]) return 'partition';
  return null;
}

export function cut(net: NetworkState, from: NodeId, to: NodeId, oneWay: boolean): boolean {
  const before = net.cutCount;
  const add = (k: number) => {
    if (!net.cuts[k]) {
      net.cuts[k] = true;
      net.cutCount++;
    }
  };
  add(linkKey(from, to));
  if (!oneWay) add(linkKey(to, from));
  return net.cutCount !== before;
}

export function heal(net: NetworkState, from: NodeId, to: NodeId, oneWay: boolean): boolean {
  let changed = false;
  const drop = (k: number) => {
    if (net.cuts[k]) {
      delete net.cuts[k];
      net.cutCount--;
      changed = true;
    }
  };
  drop(linkKey(from, to));
  if (!oneWay) drop(linkKey(to, from));
  return changed;
}

/** Listed groups get indexes 0..k-1; every node not listed forms group k. */
export function partition(net: NetworkState, groups: NodeId[][], all: readonly NodeId[]): void {
  const g: Record<NodeId, number> = {};
  for (const id of all) g[id] = groups.length;
  groups.forEach((members, i) => members.forEach((id) => (g[id] = i)));
  net.group = g;
}

export function healAll(net: NetworkState): boolean {
  const changed = net.group !== null || net.cutCount > 0;
  net.cuts = {};
  net.cutCount = 0;
  net.group = null;
  return changed;
}

export function setLinkOverride(
  net: NetworkState,
  from: NodeId,
  to: NodeId,
  patch: LinkOverride,
): void {
  for (const key of [linkKey(from, to), linkKey(to, from)]) {
    if (!net.links[key]) net.linkCount++;
    net.links[key] = { ...net.links[key], ...patch };
  }
}

export function copyNetwork(net: NetworkState): NetworkState {
  return {
    ...net,
    links: { ...net.links },
    cuts: { ...net.cuts },
    group: net.group ? { ...net.group } : null,
    lastDelivery: { ...net.lastDelivery },
  };
}

/** The network now, as timing defaults and warnings see it (ms; widest range over links). */
export function timingOf(net: NetworkState): NetworkTiming {
  let min = net.latency.min;
  let max = net.latency.max;
  for (const key in net.links) {
    const l = net.links[key].latency;
    if (l) {
      min = Math.min(min, l.min);
      max = Math.max(max, l.max);
    }
  }
  return {
    latency: { min: min / 1000, max: max / 1000 },
    loss: net.loss,
    duplicate: net.duplicate,
  };
}
