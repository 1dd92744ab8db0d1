/**
 * The experiments' part of a share link: a tiny hook for app/share (which owns the
 * fragment), so that neither side edits the other's files.
 *
 *   `...#v1=<scenario>&e=412&exp=<lz-string JSON>`
 *
 * - `experimentLinkPart()` is `&exp=...` while the experiments panel is open, '' otherwise:
 *   append it to the fragment being written.
 * - `subscribeExperimentLink(cb)` calls `cb` when that part changes (schedule a write).
 * - `openExperimentFromFragment(fragment)` opens the panel with a link's parameters; it
 *   never throws and ignores fragments without `exp=`. This module already calls it for
 *   the page's own address at start-up and on `hashchange`.
 */
import LZString from 'lz-string';
import {
  compactExperimentParams,
  decodeExperimentParams,
  experimentParams,
  experiments,
  type ExperimentState,
} from './params';

export const EXPERIMENT_LINK_KEY = 'exp';
/** Longer encoded parameters are ignored (a link is not a place for a novel). */
const MAX_CHARS = 4000;

export function encodeExperimentPart(s: ExperimentState = experiments.getState()): string {
  return LZString.compressToEncodedURIComponent(
    JSON.stringify(compactExperimentParams(experimentParams(s))),
  );
}

/** `&exp=...` while the panel is open, else ''. */
export function experimentLinkPart(s: ExperimentState = experiments.getState()): string {
  return s.open ? `&${EXPERIMENT_LINK_KEY}=${encodeExperimentPart(s)}` : '';
}

/** The `exp=` value of a fragment (with or without '#'), or null. */
export function experimentValue(fragment: string): string | null {
  const text = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  for (const p of text.split('&')) if (p.startsWith(`${EXPERIMENT_LINK_KEY}=`)) return p.slice(4);
  return null;
}

/**
 * Opens the panel with the parameters of a link's `exp=` part. Returns the problems found
 * (fields that fell back to defaults), or null when the fragment has no experiment.
 */
export function openExperimentFromFragment(fragment: string): string[] | null {
  const v = experimentValue(fragment);
  if (v === null) return null;
  try {
    if (v.length > MAX_CHARS) return [`the experiment part is over ${MAX_CHARS} characters`];
    const json = LZString.decompressFromEncodedURIComponent(v);
    if (!json) return ['the experiment part cannot be decoded'];
    const { params, problems } = decodeExperimentParams(JSON.parse(json));
    experiments.getState().setParams(params, true);
    return problems;
  } catch (e) {
    return [`the experiment part is damaged (${e instanceof Error ? e.message : String(e)})`];
  }
}

/** Calls `cb` whenever the link part would change. */
export function subscribeExperimentLink(cb: () => void): () => void {
  let last = experimentLinkPart();
  return experiments.subscribe((s) => {
    const now = experimentLinkPart(s);
    if (now !== last) {
      last = now;
      cb();
    }
  });
}

let started = false;
/** Opens the page's own link's experiment (once) and follows pasted links. */
export function startExperimentLink(): void {
  if (started || typeof window === 'undefined') return;
  started = true;
  openExperimentFromFragment(window.location.hash);
  window.addEventListener('hashchange', () => openExperimentFromFragment(window.location.hash));
}
