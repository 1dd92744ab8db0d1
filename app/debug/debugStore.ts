/**
 * The debugger's own slice of UI state (a separate Zustand store; the simulation itself
 * lives in the simulation session, which the playground store delegates to): tabs,
 * filters, breakpoints (the session checks them), manual delivery mode and the selected
 * message.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { EventKind } from '../../algorithms/index';

export type Breakpoint =
  | { id: number; kind: 'leader'; enabled: boolean }
  | { id: number; kind: 'term'; enabled: boolean }
  | { id: number; kind: 'violation'; enabled: boolean }
  | { id: number; kind: 'state'; node: number | null; state: string; enabled: boolean }
  | { id: number; kind: 'message'; type: string; enabled: boolean };

export type NewBreakpoint = Breakpoint extends infer B
  ? B extends Breakpoint
    ? Omit<B, 'id' | 'enabled'>
    : never
  : never;

export type SideTab = 'inspect' | 'next' | 'checks';
export type BottomTab = 'log' | 'timeline';

export interface LogFilter {
  /** Empty = every node. */
  node: number | null;
  /** Message, timer or fault type; empty = all. */
  type: string;
  kinds: Record<EventKind, boolean>;
}

export interface DebugState {
  sideTab: SideTab;
  bottomTab: BottomTab;
  bottomOpen: boolean;
  manual: boolean;
  selectedMsg: number | null;
  breakpoints: Breakpoint[];
  /** The last breakpoint that stopped a run: what and where. */
  lastHit: { text: string; index: number } | null;
  filter: LogFilter;
  /** The event log keeps the current event in view. */
  follow: boolean;
  /** The space-time diagram keeps the cursor in view. */
  timelineFollow: boolean;
  /** Event index the pointer is over in the log or the diagram (cross-highlighting). */
  hover: number | null;

  setSideTab(t: SideTab): void;
  setBottomTab(t: BottomTab): void;
  toggleBottom(open?: boolean): void;
  setManual(on: boolean): void;
  selectMsg(id: number | null): void;
  addBreakpoint(b: NewBreakpoint): void;
  toggleBreakpoint(id: number): void;
  removeBreakpoint(id: number): void;
  setFilter(f: Partial<LogFilter>): void;
  setFollow(on: boolean): void;
  setTimelineFollow(on: boolean): void;
  setHover(i: number | null): void;
}

let bpKey = 0;

const ALL_KINDS: Record<EventKind, boolean> = {
  deliver: true,
  drop: true,
  timer: true,
  fault: true,
  hold: true,
};

export const debugStore = createStore<DebugState>()((set, get) => ({
  sideTab: 'inspect',
  bottomTab: 'log',
  bottomOpen: true,
  manual: false,
  selectedMsg: null,
  breakpoints: [
    { id: ++bpKey, kind: 'leader', enabled: false },
    { id: ++bpKey, kind: 'term', enabled: false },
    { id: ++bpKey, kind: 'violation', enabled: false },
  ],
  lastHit: null,
  filter: { node: null, type: '', kinds: { ...ALL_KINDS } },
  follow: true,
  timelineFollow: true,
  hover: null,

  setSideTab(t) {
    set({ sideTab: t });
  },
  setBottomTab(t) {
    set({ bottomTab: t, bottomOpen: true });
  },
  toggleBottom(open) {
    set({ bottomOpen: open ?? !get().bottomOpen });
  },
  setManual(on) {
    set({ manual: on });
  },
  selectMsg(id) {
    set({ selectedMsg: id });
  },
  addBreakpoint(b) {
    set({
      breakpoints: [...get().breakpoints, { ...b, id: ++bpKey, enabled: true } as Breakpoint],
    });
  },
  toggleBreakpoint(id) {
    set({
      breakpoints: get().breakpoints.map((b) => (b.id === id ? { ...b, enabled: !b.enabled } : b)),
    });
  },
  removeBreakpoint(id) {
    set({ breakpoints: get().breakpoints.filter((b) => b.id !== id) });
  },
  setFilter(f) {
    set({ filter: { ...get().filter, ...f } });
  },
  setFollow(on) {
    if (get().follow !== on) set({ follow: on });
  },
  setTimelineFollow(on) {
    if (get().timelineFollow !== on) set({ timelineFollow: on });
  },
  setHover(i) {
    if (get().hover !== i) set({ hover: i });
  },
}));

export function useDebug<T>(selector: (s: DebugState) => T): T {
  return useStore(debugStore, selector);
}

export { ALL_KINDS };
