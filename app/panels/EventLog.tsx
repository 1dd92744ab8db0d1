/**
 * Recent events, newest first. The store keeps a bounded ring of entries; this list
 * re-renders at most a few times per second, however fast the simulation runs. (The
 * full, virtualised log with filters comes with the step-through issue.)
 */
import { useEffect, useState } from 'react';
import type { Action } from '../../algorithms/index';
import { narrate } from '../../algorithms/narration';
import { playground, usePlayground, type LogEntry } from '../store/store';

function actionText(a: Action): string {
  switch (a.type) {
    case 'kill':
      return `crash node ${a.node}`;
    case 'restart':
    case 'pause':
    case 'resume':
      return `${a.type} node ${a.node}`;
    case 'timeout':
      return `force node ${a.node}'s timer to fire`;
    case 'cut':
    case 'heal':
      return `${a.type} ${a.from} ${a.oneWay ? '→' : '↔'} ${a.to}${a.oneWay ? ' (one way)' : ''}`;
    case 'partition':
      return `partition ${a.groups.map((g) => `{${g.join(', ')}}`).join(' | ')}`;
    case 'healAll':
      return 'heal every link and partition';
    case 'setLatency':
      return `latency ${a.min}–${a.max} ms${a.from !== undefined ? ` on ${a.from} ↔ ${a.to}` : ''}`;
    case 'setLoss':
      return `loss ${Math.round(a.loss * 100)}%${a.from !== undefined ? ` on ${a.from} ↔ ${a.to}` : ''}`;
  }
  return (a as { type: string }).type;
}

const SHOWN = 60;
const REFRESH_MS = 250;

const ICONS: Record<LogEntry['kind'], string> = {
  leader: '★',
  deliver: '→',
  drop: '✕',
  hold: '❚❚',
  timer: '◷',
  fault: '⚡',
};

function describe(e: LogEntry, algorithm: string): { icon: string; text: string; tone: string } {
  const icon = ICONS[e.kind];
  if (e.kind === 'leader')
    return {
      icon: e.node === null ? '☆' : icon,
      text:
        e.node === null || e.node === undefined
          ? 'The cluster has no leader'
          : `Node ${e.node} is the leader${e.term !== undefined ? ` of term ${e.term}` : ''}`,
      tone: 'leader',
    };
  const rec = e.rec!;
  if (e.kind === 'fault' && e.action) {
    const text = actionText(e.action);
    return {
      icon,
      text: `You ${text}${rec.reason ? ` (nothing happens: ${rec.reason})` : ''}`,
      tone: 'fault',
    };
  }
  return { icon, text: narrate(rec, algorithm), tone: e.kind };
}

export function EventLog() {
  const algorithm = usePlayground((s) => s.scenario.algorithm);
  const [entries, setEntries] = useState<LogEntry[]>([]);
  useEffect(() => {
    let timer = 0;
    let last = -1;
    const refresh = () => {
      timer = 0;
      const s = playground.getState();
      last = s.logRev;
      setEntries(s.log.slice(-SHOWN).reverse());
    };
    refresh();
    const unsub = playground.subscribe((s) => {
      if (s.logRev === last || timer) return;
      timer = window.setTimeout(refresh, s.playing ? REFRESH_MS : 0);
    });
    return () => {
      unsub();
      window.clearTimeout(timer);
    };
  }, []);

  return (
    <section className="event-log" aria-labelledby="log-title">
      <h2 id="log-title">Recent events</h2>
      {entries.length === 0 ? (
        <p className="hint">Nothing has happened yet. Press Play (Space) or Step (→).</p>
      ) : (
        <ol
          className="log-list"
          data-testid="event-log"
          tabIndex={0}
          aria-label="Recent events, newest first"
        >
          {entries.map((e) => {
            const d = describe(e, algorithm);
            return (
              <li key={e.key} className={`log-${d.tone}`}>
                <span className="log-time">{(e.t / 1000).toFixed(1)}</span>
                <span className="log-icon" aria-hidden="true">
                  {d.icon}
                </span>
                <span className="log-text">{d.text}</span>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
