/**
 * The selected node's machine, for the inspector: its XState state value, its whole
 * context (which fields survive a crash is asked of the algorithm's own `persist`), its
 * pending timers with due times, the last event it handled, and its statechart.
 */
import { useMemo } from 'react';
import { fmt, narrate } from '../../algorithms/index';
import type { TraceRecord, TraceView } from '../../algorithms/index';
import { useDefinition, usePlayground } from '../store/store';
import { Statechart, type LastStep } from './Statechart';
import { DiskIcon } from './icons';
import { TimerList } from '../panels/TimerList';

const HIDDEN = new Set(['id', 'peers', 'order']);
function show(v: unknown, micros = false): string {
  // times and durations live in the machine as integer microseconds: show them in ms
  if (micros && typeof v === 'number' && Number.isInteger(v)) return fmt(v);
  if (v === null) return '—';
  if (v === undefined) return '—';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    const s = JSON.stringify(v);
    return s.length > 60 ? `${v.length} items: …${s.slice(-44)}` : s;
  }
  if (typeof v === 'object') {
    const s = JSON.stringify(v);
    return s === '{}' ? '{}' : s.length > 60 ? `${s.slice(0, 57)}…` : s;
  }
  return String(v);
}

/** The node's last event before event index `index` (bounded look-back). */
function lastRecordOf(trace: TraceView, index: number, id: number): TraceRecord | null {
  const stop = Math.max(trace.start, index - 20_000);
  for (let i = Math.min(index, trace.length) - 1; i >= stop; i--) {
    const r = trace.at(i);
    if (r && r.node === id && r.kind !== 'drop' && r.kind !== 'hold') return r;
  }
  return null;
}

export function NodeMachine({ id }: { id: number }) {
  const index = usePlayground((s) => s.position.index);
  const trace = usePlayground((s) => s.runIndex.trace);
  const view = usePlayground((s) => s.view);
  const session = usePlayground((s) => s.session);
  const algorithm = usePlayground((s) => s.scenario.algorithm);
  const node = view.byId.get(id);
  // which fields are parameters and which hold µs, as the algorithm declares them
  const def = useDefinition();
  const configFields = new Set(def.contextFields?.config ?? []);
  const microFields = new Set(def.contextFields?.micros ?? []);

  const data = useMemo(() => {
    const details = session.nodeDetails(view, id);
    const w = view.byId.get(id);
    if (!details || !w) return null;
    const ctx = (w.alive ? w.context : {}) as Record<string, unknown>;
    const persisted = details.persisted as Record<string, unknown> | undefined;
    const keep = new Set(persisted && typeof persisted === 'object' ? Object.keys(persisted) : []);
    const rec = lastRecordOf(trace, index, id);
    let last: LastStep | null = null;
    if (rec && rec.before !== undefined && rec.after !== undefined && rec.kind !== 'fault')
      last = { before: rec.before, after: rec.after, type: rec.type, i: rec.i };
    return { ctx, keep, rec, last, persistedAny: persisted !== undefined };
  }, [session, view, trace, index, id]);

  if (!node || !data) return null;
  const { ctx, keep, rec, last, persistedAny } = data;
  const fields = Object.keys(ctx).filter((k) => !HIDDEN.has(k));
  // persistent state first, then the rest of the state, then configuration (parameters)
  const state = fields
    .filter((k) => !configFields.has(k))
    .sort((a, b) => Number(keep.has(b)) - Number(keep.has(a)));
  const config = fields.filter((k) => configFields.has(k) && !keep.has(k));
  return (
    <section className="node-machine" aria-labelledby="machine-title" data-testid="node-machine">
      <h2 id="machine-title">Machine of node {id}</h2>
      <dl className="facts">
        <dt>State value</dt>
        <dd>
          <code data-testid="machine-state">{node.state}</code>
        </dd>
        <dt>Timers</dt>
        <dd data-testid="machine-timers">
          <TimerList timers={node.timers} />
        </dd>
      </dl>
      {node.alive && fields.length > 0 && (
        <table className="ctx-table" data-testid="machine-context">
          <caption>
            Context{' '}
            <span className="muted">
              {persistedAny ? (
                <>
                  · <DiskIcon /> survives a crash (persistent state); the rest is lost
                </>
              ) : (
                '· nothing survives a crash: a restart starts fresh'
              )}
            </span>
          </caption>
          <tbody>
            {[...state, ...config].map((k, n) => (
              <tr
                key={k}
                className={`${keep.has(k) ? 'persist' : ''}${n === state.length ? ' first-config' : ''}${n >= state.length ? ' config' : ''}`}
              >
                <th scope="row">
                  {keep.has(k) && (
                    <span title="survives a crash">
                      <DiskIcon /> <span className="visually-hidden">(persistent)</span>
                    </span>
                  )}
                  {k}
                </th>
                <td>
                  <code>{show(ctx[k], microFields.has(k))}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!node.alive && (
        <p className="hint">
          Node {id} is down: only its persistent state survives
          {persistedAny ? ' (its term, vote and log, on disk)' : ' (nothing, for this algorithm)'}.
        </p>
      )}
      {rec && (
        <p className="machine-last">
          <span className="muted">Last event here (#{rec.i + 1}):</span> {narrate(rec, algorithm)}
        </p>
      )}
      <Statechart machine={session.machineOf(node.id)} current={node.state} last={last} />
    </section>
  );
}
