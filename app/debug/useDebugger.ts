/** Starts the debugger's background work: breakpoints and the manual-mode guard. */
import { useEffect } from 'react';
import { playground } from '../store/store';
import { installBreakpoints } from './breakpoints';
import { useManualGuard } from './NextEvents';
import './debug.css';

export function useDebugger(): void {
  useEffect(() => installBreakpoints(playground.getState().session), []);
  useManualGuard();
}
