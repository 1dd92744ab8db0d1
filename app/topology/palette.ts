/**
 * Colours (Okabe-Ito, safe for the common colour-vision deficiencies) and the words and
 * glyphs that say the same thing without colour. Colours are CSS variables so that the
 * dark and light themes can tune contrast; the names here are what the SVG uses. What a
 * role or a message is called comes from the algorithm's definition.
 */
import type { AlgorithmDefinition, MessageKind } from '../../algorithms/index';
import type { NodeVM } from '../store/view';

export const OKABE_ITO = {
  orange: '#E69F00',
  sky: '#56B4E9',
  green: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  purple: '#CC79A7',
} as const;

/** A role's colour family: the CSS class `role-<key>`. */
export type RoleKey =
  'leader' | 'candidate' | 'follower' | 'waiting' | 'idle' | 'system' | 'service' | 'dead';

export interface RoleLook {
  key: RoleKey;
  /** Upper-case word shown next to the node. */
  text: string;
  /** Glyph drawn inside the node. */
  glyph: string;
}

const LOOKS: Record<RoleKey, RoleLook> = {
  leader: { key: 'leader', text: 'LEADER', glyph: '★' },
  candidate: { key: 'candidate', text: 'CANDIDATE', glyph: '⚑' },
  follower: { key: 'follower', text: 'FOLLOWER', glyph: '' },
  waiting: { key: 'waiting', text: 'WAITING', glyph: '◷' },
  idle: { key: 'idle', text: 'IDLE', glyph: '' },
  system: { key: 'system', text: 'SYSTEM', glyph: '▤' },
  service: { key: 'service', text: 'SERVICE', glyph: '◆' },
  dead: { key: 'dead', text: 'DEAD', glyph: '' },
};

/** How node reads: the generic look of its role, with the algorithm's own words on top. */
export function roleLook(node: NodeVM, def: AlgorithmDefinition): RoleLook {
  if (!node.alive) return LOOKS.dead;
  const base = LOOKS[node.role as RoleKey] ?? LOOKS.idle;
  const own = def.look?.(node, node.state);
  if (!own) return base;
  return { key: own.tone ?? base.key, text: own.text, glyph: own.glyph };
}

/** A message kind's colour class (`tone-<name>`): the same family as the role that sends it. */
const TONE: Record<MessageKind, string> = {
  request: 'vote',
  granted: 'yes',
  refused: 'no',
  heartbeat: 'beat',
  announcement: 'beat',
  ack: 'ack',
  other: 'other',
};

export function toneOf(kind: MessageKind | undefined): string {
  return TONE[kind ?? 'other'];
}

const TONE_WORDS: { tone: string; kinds: MessageKind[]; text: string }[] = [
  { tone: 'vote', kinds: ['request'], text: 'request' },
  { tone: 'yes', kinds: ['granted'], text: 'granted / answer' },
  { tone: 'no', kinds: ['refused'], text: 'refused' },
  { tone: 'beat', kinds: ['heartbeat', 'announcement'], text: 'heartbeat / announcement' },
  { tone: 'ack', kinds: ['ack'], text: 'acknowledgement' },
];

/** The legend's message entries: each colour with the algorithm's message types of that kind. */
export function messageTones(def: AlgorithmDefinition): { tone: string; text: string }[] {
  const out: { tone: string; text: string }[] = [];
  for (const t of TONE_WORDS) {
    const types = Object.entries(def.messages)
      .filter(([, m]) => (m.kinds ?? [m.kind]).some((k) => t.kinds.includes(k)))
      .map(([type]) => type);
    if (types.length > 0) out.push({ tone: t.tone, text: `${t.text}: ${types.join(', ')}` });
  }
  return out;
}
