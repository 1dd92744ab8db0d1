/**
 * Binary min-heap of events ordered by (time, seq). Hand-written because it is the
 * hottest structure in the engine. The heap is a plain array of plain objects so the
 * World stays serialisable; copying the array is a checkpoint.
 */
export interface Keyed {
  at: number;
  seq: number;
}

/** Pop order as a sort comparator: (time, seq). */
export function byTime(a: Keyed, b: Keyed): number {
  return a.at - b.at || a.seq - b.seq;
}

function less(a: Keyed, b: Keyed): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

export function heapPush<T extends Keyed>(heap: T[], item: T): void {
  let i = heap.length;
  heap.push(item);
  while (i > 0) {
    const parent = (i - 1) >> 1;
    const p = heap[parent];
    if (!less(item, p)) break;
    heap[i] = p;
    i = parent;
  }
  heap[i] = item;
}

export function heapPop<T extends Keyed>(heap: T[]): T | undefined {
  const n = heap.length;
  if (n === 0) return undefined;
  const top = heap[0];
  const last = heap.pop() as T;
  if (n === 1) return top;
  const size = n - 1;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= size) break;
    const r = l + 1;
    const c = r < size && less(heap[r], heap[l]) ? r : l;
    if (!less(heap[c], last)) break;
    heap[i] = heap[c];
    i = c;
  }
  heap[i] = last;
  return top;
}

export function heapPeek<T extends Keyed>(heap: readonly T[]): T | undefined {
  return heap[0];
}

/** Restores the heap property of an arbitrary array in place (after removing an element). */
export function heapify<T extends Keyed>(heap: T[]): void {
  const items = heap.splice(0, heap.length);
  items.sort(byTime);
  // a sorted array is a valid binary heap
  for (const it of items) heap.push(it);
}
