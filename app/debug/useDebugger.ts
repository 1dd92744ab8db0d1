/** Starts the debugger's background work: breakpoints and the manual-mode guard. */
import { useEffect } from 'react';
import { playground } from '../store/store';
import { installBreakpoints } from './breakpoints';
import { debugStore } from './debugStore';
import './debug.css';

export function useDebugger(): void {
  useEffect(() => installBreakpoints(playground.getState().session), []);
  useManualGuard();
}

/** While manual delivery is on the clock does not run: pressing Play turns it off. */
export function useManualGuard(): void {
  useEffect(() => {
    const unsub = playground.subscribe((s, prev) => {
      if (s.playing && !prev.playing && debugStore.getState().manual) {
        debugStore.getState().setManual(false);
        s.showToast('Manual delivery is off: the clock runs again.');
      }
    });
    const unsub2 = playground.subscribe((s, prev) => {
      if (s.generation !== prev.generation) debugStore.getState().selectMsg(null);
    });
    return () => {
      unsub();
      unsub2();
    };
  }, []);
}
