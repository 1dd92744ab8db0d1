/**
 * A node's pending timers: when each is due and how long is left, on the simulated clock
 * as it is this frame. The inspector and the machine panel both use it, so the two never
 * disagree.
 */
import type { ReactNode } from 'react';
import { usePlayground } from '../store/store';

export function TimerList(props: {
  timers: readonly { id: string; due: number }[];
  /** How a timer's id reads (a glossary term, say); the id itself by default. */
  word?(id: string): ReactNode;
}) {
  const now = usePlayground((s) => s.now);
  if (props.timers.length === 0) return <>none pending</>;
  return (
    <>
      {props.timers.map((t) => (
        <div key={t.id} data-testid={`timer-${t.id}`}>
          <b>{props.word ? props.word(t.id) : t.id}</b> due at {(t.due / 1000).toFixed(3)} ms
          <span className="muted">
            {' '}
            ({t.due >= now ? `in ${((t.due - now) / 1000).toFixed(1)} ms` : 'overdue'})
          </span>
        </div>
      ))}
    </>
  );
}
