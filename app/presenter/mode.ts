/**
 * View modes that change the whole page: presenter mode (P: large type and nodes, high
 * contrast, side panels hidden, captions large at the bottom, keyboard only) and embed
 * mode (`#...&embed=1`: only the network view and the transport bar). They live in their
 * own small store and are mirrored onto <html data-present / data-embed> so that plain
 * CSS (presenter.css) can re-lay the page without the layout components knowing.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';

export interface ModeState {
  present: boolean;
  embed: boolean;
  setPresent(on: boolean): void;
  togglePresent(): void;
  setEmbed(on: boolean): void;
}

export const modes = createStore<ModeState>()((set, get) => ({
  present: false,
  embed: false,
  setPresent(on) {
    if (get().present !== on) set({ present: on });
  },
  togglePresent() {
    set({ present: !get().present });
  },
  setEmbed(on) {
    if (get().embed !== on) set({ embed: on });
  },
}));

export function useModes<T>(selector: (s: ModeState) => T): T {
  return useStore(modes, selector);
}

function mirror(s: ModeState): void {
  if (typeof document === 'undefined') return;
  const root = document.documentElement;
  if (s.present) root.dataset.present = '1';
  else delete root.dataset.present;
  if (s.embed) root.dataset.embed = '1';
  else delete root.dataset.embed;
}

modes.subscribe((s, prev) => {
  if (s.present === prev.present && s.embed === prev.embed) return;
  mirror(s);
  if (s.present !== prev.present && typeof document !== 'undefined') {
    // keys go to the page, not to a button that is about to be hidden
    const el = document.activeElement;
    if (el instanceof HTMLElement && el !== document.body) el.blur();
  }
});

/** Node size factor for the network view: larger nodes on a projector. */
export function presenterScale(): number {
  return typeof document !== 'undefined' && document.documentElement.dataset.present ? 1.12 : 1;
}
