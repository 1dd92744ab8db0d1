/**
 * Colours (Okabe-Ito, safe for the common colour-vision deficiencies) and the words and
 * glyphs that say the same thing without colour. Colours are CSS variables so that the
 * dark and light themes can tune contrast; the names here are what the SVG uses.
 */
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

export type RoleKey =
  'leader' | 'candidate' | 'follower' | 'waiting' | 'idle' | 'store' | 'service' | 'dead';

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
  store: { key: 'store', text: 'STORE', glyph: '▤' },
  service: { key: 'service', text: 'SERVICE', glyph: '◆' },
  dead: { key: 'dead', text: 'DEAD', glyph: '' },
};

/** Algorithms without terms call their leader a coordinator. */
export function roleLook(node: NodeVM, algorithm: string): RoleLook {
  if (!node.alive) return LOOKS.dead;
  const look = LOOKS[(node.role as RoleKey) ?? 'idle'] ?? LOOKS.idle;
  if (look.key === 'leader' && (algorithm === 'bully' || algorithm === 'ring'))
    return { ...look, text: 'COORDINATOR' };
  if (precandidate(node)) return { ...look, text: 'PRE-CANDIDATE' };
  return look;
}

function precandidate(node: NodeVM): boolean {
  return node.role === 'candidate' && node.state.startsWith('precandidate');
}

/** A message's colour class from its label or type: the same family as the role that sends it. */
export function messageTone(label: string, type: string): string {
  const s = `${label} ${type}`.toLowerCase();
  if (/\bno\b|reject|fail|nack/.test(s)) return 'no';
  if (/\byes\b|grant|\bok\b|answer|alive/.test(s)) return 'yes';
  if (/vote|election|candidate|campaign/.test(s)) return 'vote';
  if (/heartbeat|append|coordinator|leader|victory/.test(s)) return 'beat';
  if (/ack|response|reply|pong/.test(s)) return 'ack';
  return 'other';
}

export const MESSAGE_TONES: { tone: string; text: string }[] = [
  { tone: 'vote', text: 'vote request / election' },
  { tone: 'yes', text: 'vote granted / answer' },
  { tone: 'no', text: 'vote refused' },
  { tone: 'beat', text: 'heartbeat / coordinator' },
  { tone: 'ack', text: 'acknowledgement' },
];

/** What the algorithm's epoch is called: Raft's term, the lease key's revision. */
export function epochWord(algorithm: string): string {
  return algorithm === 'lease' ? 'revision' : 'term';
}
