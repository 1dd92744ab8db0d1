/**
 * Shareable links: the current scenario (every recorded action included), the event
 * position and the view options, as the URL fragment that algorithms/scenario/url.ts
 * encodes (`#v1=<lz>&e=412&embed=1&present=1`). Two more options ride along and are
 * ignored by older pages: `lesson=<name>` (the lesson whose captions go with the run)
 * and `t=<µs>` (the clock, when it stands between two events).
 */
import { parseScenario, type Scenario } from '../../algorithms/index';
import { decodeFragment, encodeFragment, type Decoded } from '../../algorithms/index';
import { findLesson } from '../../algorithms/index';
import { playground, type PlaygroundState } from '../store/store';
import { modes } from '../presenter/mode';
import { lessonStore } from '../lessons/lessonStore';
import { experimentLinkPart } from '../experiments/link';
import { encodeComparePart } from '../../algorithms/index';
import { compareStore } from '../compare/compareStore';

export interface LinkExtras {
  lesson?: string;
  /** Simulated clock in µs. */
  t?: number;
}

let cache: { key: unknown[]; scenario: Scenario } | null = null;

/** The current scenario as validated data (cached while nothing changed). */
export function currentScenario(s: PlaygroundState = playground.getState()): Scenario {
  const key = [s.generation, s.scenario, s.position.actions];
  if (cache && cache.key.every((k, i) => k === key[i])) return cache.scenario;
  const { scenario } = parseScenario(s.exportScenario());
  cache = { key, scenario };
  return scenario;
}

/** The fragment (without '#') for the current state. */
export function currentFragment(opts: { embed?: boolean; present?: boolean } = {}): string {
  const s = playground.getState();
  const m = modes.getState();
  const scenario = currentScenario(s);
  let out = encodeFragment(scenario, {
    event: s.position.index,
    embed: opts.embed ?? m.embed,
    present: opts.present ?? m.present,
  });
  const ls = lessonStore.getState();
  if (ls.name && !ls.diverged) out += `&lesson=${encodeURIComponent(ls.name)}`;
  const { lastEventTime, index } = s.position;
  if (s.now !== lastEventTime && index > 0) out += `&t=${s.now}`;
  // the open experiment and its parameters (app/experiments/link.ts)
  out += experimentLinkPart();
  // compare mode: the right run's algorithm and params, and the shared clock
  const c = compareStore.getState();
  if (c.active && c.second && c.pair) out += `&${encodeComparePart(c.second, c.pair.time())}`;
  return out;
}

/** The full address to share: this page, without test flags in the query, plus the fragment. */
export function currentLink(opts: { embed?: boolean; present?: boolean } = {}): string {
  const { origin, pathname } = window.location;
  return `${origin}${pathname}#${currentFragment(opts)}`;
}

/** The options this page adds to the fragment (the codec ignores them). */
export function parseExtras(fragment: string): LinkExtras {
  const text = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  const out: LinkExtras = {};
  for (const part of text.split('&').slice(1)) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const k = part.slice(0, eq);
    const v = part.slice(eq + 1);
    if (k === 'lesson') {
      let name = '';
      try {
        name = decodeURIComponent(v);
      } catch {
        /* a damaged option is ignored like an unknown one */
      }
      if (findLesson(name)) out.lesson = name;
    } else if (k === 't' && /^\d{1,15}$/.test(v)) out.t = Number(v);
  }
  return out;
}

/** Whether the fragment looks like one of our links (and not, say, an in-page anchor). */
export function isScenarioFragment(fragment: string): boolean {
  const text = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  return text.trim() !== '';
}

export { decodeFragment, type Decoded };
