/**
 * The bad-link (and bad-file) banner's state. A link or file that cannot be opened never
 * replaces the current scenario: the page keeps running what it had and this banner says
 * what is wrong, keeping the broken text so it can be copied into a bug report.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { DecodeErrorKind } from '../../algorithms/index';

export type ProblemKind = DecodeErrorKind | 'file';

export interface Problem {
  key: number;
  /** Where the broken text came from. */
  source: 'link' | 'file';
  kind: ProblemKind;
  /** What is wrong, from the decoder (field paths for schema errors). */
  message: string;
  /** The broken link or file name, shown read-only so it can be copied. */
  text: string;
  /**
   * What runs underneath: the default scenario when the page was opened with the broken
   * link, or the user's own run when a link was opened later.
   */
  running?: 'default' | 'yours';
}

interface BannerState {
  problem: Problem | null;
  show(p: Omit<Problem, 'key'>): void;
  dismiss(): void;
}

let key = 0;

export const banner = createStore<BannerState>()((set) => ({
  problem: null,
  show(p) {
    set({ problem: { ...p, key: ++key } });
  },
  dismiss() {
    set({ problem: null });
  },
}));

export function useBanner<T>(selector: (s: BannerState) => T): T {
  return useStore(banner, selector);
}

/** A short headline for each way a link or file can be broken. */
export function headline(p: Pick<Problem, 'kind' | 'source'>): string {
  const what = p.source === 'file' ? 'This file' : 'This link';
  switch (p.kind) {
    case 'empty':
      return `${what} has no scenario in it`;
    case 'version':
      return `${what} comes from a different version of the playground`;
    case 'too-large':
      return `${what} is too large to open`;
    case 'schema':
      return `${what} holds an invalid scenario`;
    case 'json':
      return `${what} is damaged or cut short`;
    case 'undecodable':
      return `${what} cannot be read`;
    default:
      return `${what} could not be opened`;
  }
}
