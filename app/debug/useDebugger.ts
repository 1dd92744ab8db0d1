/** Starts the debugger's background work: run tracking, breakpoints, the manual-mode guard. */
import { useEffect } from 'react';
import { installBreakpoints } from './breakpoints';
import { installRunTracking } from './runTracking';
import { useManualGuard } from './NextEvents';
import './debug.css';

export function useDebugger(): void {
  useEffect(() => installRunTracking(), []);
  useEffect(() => installBreakpoints(), []);
  useManualGuard();
}
