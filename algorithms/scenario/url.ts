/**
 * Scenario URLs: the whole scenario plus the event position and view options in the
 * fragment, as `#v1=<lz-string compressed JSON>&e=<event>&embed=1&present=1`.
 *
 * decodeFragment never throws: every way a link can be broken (undecodable text,
 * truncation, a wrong or out-of-range field, an unknown version, an oversized payload)
 * comes back as an error whose message says what is wrong, with the field path for
 * schema errors, so the page can show it and keep the user's current scenario.
 */
import LZString from 'lz-string';
import { parseScenario, ScenarioError } from './parse';
import { scenarioSchema, type Scenario } from './schema';

/** Decoded JSON larger than this is refused before parsing. */
export const MAX_DECODED_BYTES = 100_000;
/** Fragments longer than this are refused before decompressing. */
export const MAX_FRAGMENT_CHARS = 200_000;

export const URL_VERSION = 1;

export interface ViewOptions {
  /** Event index to land on. */
  event?: number;
  embed?: boolean;
  present?: boolean;
}

export type DecodeErrorKind = 'empty' | 'version' | 'undecodable' | 'too-large' | 'json' | 'schema';

export type Decoded =
  | { ok: true; scenario: Scenario; view: ViewOptions }
  | { ok: false; kind: DecodeErrorKind; message: string };

/** Drops fields equal to their defaults so that links stay short. */
export function compact(s: Scenario): Record<string, unknown> {
  const network: Record<string, unknown> = { latency: s.network.latency };
  if (s.network.loss !== 0) network.loss = s.network.loss;
  if (s.network.fifo) network.fifo = true;
  if (s.network.duplicate) network.duplicate = s.network.duplicate;
  if (s.network.timerJitter) network.timerJitter = s.network.timerJitter;
  if (s.network.links?.length) network.links = s.network.links;
  const out: Record<string, unknown> = { v: s.v, algorithm: s.algorithm };
  if (Object.keys(s.params).length > 0) out.params = s.params;
  out.nodes = s.nodes;
  out.network = network;
  out.seed = s.seed;
  if (s.actions.length > 0) out.actions = s.actions;
  return out;
}

export function encodeFragment(scenario: Scenario, view: ViewOptions = {}): string {
  const payload = LZString.compressToEncodedURIComponent(JSON.stringify(compact(scenario)));
  let out = `v${URL_VERSION}=${payload}`;
  if (view.event !== undefined && view.event > 0) out += `&e=${Math.floor(view.event)}`;
  if (view.embed) out += '&embed=1';
  if (view.present) out += '&present=1';
  return out;
}

function fail(kind: DecodeErrorKind, message: string): Decoded {
  return { ok: false, kind, message };
}

/** Accepts the fragment with or without its leading '#'. */
export function decodeFragment(fragment: string): Decoded {
  try {
    return decode(fragment);
  } catch (e) {
    // decode is written not to throw; this is the last line of defence
    return fail(
      'undecodable',
      `the link could not be read (${(e as Error)?.message ?? String(e)})`,
    );
  }
}

function decode(fragment: string): Decoded {
  if (typeof fragment !== 'string') return fail('undecodable', 'the link is not text');
  const text = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  if (text.trim() === '') return fail('empty', 'the link has no scenario in it');
  if (text.length > MAX_FRAGMENT_CHARS)
    return fail(
      'too-large',
      `the link is ${text.length} characters long; the limit is ${MAX_FRAGMENT_CHARS}`,
    );
  const parts = text.split('&');
  const m = /^v(\d+)=(.*)$/s.exec(parts[0]);
  if (!m) return fail('undecodable', 'the link does not start with a version tag like "v1="');
  const version = Number(m[1]);
  if (version !== URL_VERSION)
    return fail(
      'version',
      `this link uses format version ${m[1]}, but this page reads version ${URL_VERSION}`,
    );
  if (m[2] === '') return fail('undecodable', 'the link has a version tag but no scenario data');

  const view: ViewOptions = {};
  for (const p of parts.slice(1)) {
    const [k, v = ''] = p.split('=', 2);
    if (k === 'e') {
      if (!/^\d{1,12}$/.test(v))
        return fail(
          'undecodable',
          `the event position "e=${v}" must be a whole number of events from 0 (e=0 is the start, e=40 after the 40th event)`,
        );
      view.event = Number(v);
    } else if (k === 'embed') view.embed = v === '1';
    else if (k === 'present') view.present = v === '1';
    // unknown options are ignored: newer pages may add some
  }

  let json: string | null;
  try {
    json = LZString.decompressFromEncodedURIComponent(m[2]);
  } catch {
    json = null;
  }
  if (json === null || json === '')
    return fail(
      'undecodable',
      'the scenario data in the link is damaged or cut short and cannot be decompressed',
    );
  if (json.length > MAX_DECODED_BYTES)
    return fail(
      'too-large',
      `the scenario is ${json.length} bytes long; the limit is ${MAX_DECODED_BYTES}`,
    );
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return fail(
      'json',
      'the scenario data in the link is damaged or cut short (it is not valid JSON)',
    );
  }
  try {
    const { scenario } = parseScenario(raw);
    return { ok: true, scenario, view };
  } catch (e) {
    if (e instanceof ScenarioError)
      return fail('schema', `the scenario in the link is invalid: ${e.message}`);
    throw e;
  }
}

/** For tests and tools: whether a value is a valid v1 scenario. */
export function isScenario(x: unknown): x is Scenario {
  return scenarioSchema.safeParse(x).success;
}
