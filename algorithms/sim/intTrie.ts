/**
 * A persistent map from whole numbers (0 to 2^31 - 1) to values: a 32-way trie whose
 * update copies one path (a handful of arrays of at most 32 slots) and shares the rest, so
 * every older version stays valid and costs nothing to keep.
 *
 * For tables in a machine's context or in the invariants' memory that gain a key as a run
 * goes on (charges per billing period, entries applied per log index): contexts and
 * `world.invariantState` are immutable values that time travel keeps by reference, and
 * copying such a table whole on every update made a long run quadratic.
 */

/** A level of the trie: slots indexed by 5 bits of the key (values at the leaves). */
type Level<V> = readonly (Level<V> | V | undefined)[];

export interface IntTrie<V> {
  /** Bits below the root's digit: the trie holds keys below 2^(shift + 5). */
  readonly shift: number;
  readonly root: Level<V>;
}

const BITS = 5;
const MASK = 31;
const LIMIT = 0x7fffffff;

export function emptyTrie<V>(): IntTrie<V> {
  return { shift: 0, root: [] };
}

const holds = (shift: number, key: number) => key < 2 ** (shift + BITS);

/** The value at `key`, or undefined. */
export function trieGet<V>(t: IntTrie<V>, key: number): V | undefined {
  if (!(key >= 0) || !holds(t.shift, key)) return undefined;
  let level: Level<V> | undefined = t.root;
  for (let s = t.shift; s > 0 && level !== undefined; s -= BITS)
    level = level[(key >>> s) & MASK] as Level<V> | undefined;
  return level?.[key & MASK] as V | undefined;
}

/** Throws unless `key` is a whole number from 0 to 2^31 - 1 (bit operations read it). */
export function checkTrieKey(key: number, what = 'key'): void {
  if (!Number.isInteger(key) || key < 0 || key > LIMIT)
    throw new RangeError(`${what} ${key} is not a whole number from 0 to 2^31 - 1`);
}

/** `t` with `key` set to `value`; `t` itself is left as it was. */
export function trieSet<V>(t: IntTrie<V>, key: number, value: V, what = 'key'): IntTrie<V> {
  checkTrieKey(key, what);
  let { shift, root } = t;
  // a key beyond the trie's reach: the old root becomes the first slot of a taller one
  while (!holds(shift, key)) {
    root = [root];
    shift += BITS;
  }
  const put = (level: Level<V> | undefined, s: number): Level<V> => {
    const copy = level ? level.slice() : [];
    const i = (key >>> s) & MASK;
    copy[i] = s === 0 ? value : put(copy[i] as Level<V> | undefined, s - BITS);
    return copy;
  };
  return { shift, root: put(root, shift) };
}
