/**
 * The "Checks" tab: the invariant monitor (election safety, split brain with who and from
 * when to when, the other recorded invariants, and agreement at this moment) and the
 * breakpoints list. A violation's line travels to its event.
 */
import { useMemo, useState } from 'react';
import { playground, useDefinition, usePlayground } from '../store/store';
import { describeBreakpoint } from './breakpoints';
import { debugStore, useDebug, type NewBreakpoint } from './debugStore';
import type { RoleChange } from './runIndex';
import { chartOf } from './statechart';

const fmtMs = (us: number) =>
  `${(us / 1000).toLocaleString('en', { maximumFractionDigits: 1 })} ms`;

/** The engine's own checks; an algorithm adds its own in its definition. */
const GENERIC: Record<string, { title: string; promise: string }> = {
  'election-safety': { title: 'Election safety', promise: 'at most one leader per term' },
  'split-brain': { title: 'Split brain', promise: 'never two nodes leading at the same moment' },
  agreement: { title: 'Agreement', promise: 'every connected node names the same leader' },
};

/** "nodes 4 and 5 led at once", or "…lead at once" while it lasts. */
function splitBrainText(v: { nodes: readonly number[]; until?: number }): string {
  const ids = [...v.nodes].sort((a, b) => a - b);
  const who = ids.length === 2 ? `nodes ${ids[0]} and ${ids[1]}` : `nodes ${ids.join(', ')}`;
  const all = ids.length === 2 ? 'both' : 'all';
  return v.until === undefined ? `${who} ${all} believe they lead` : `${who} led at once`;
}

interface Overlap {
  nodes: number[];
  from: number;
  to: number | undefined;
  i: number;
}

/** Intervals in which two or more nodes believed they led (from the role bands). */
function overlaps(roles: ReadonlyMap<number, readonly RoleChange[]>): Overlap[] {
  const changes: { t: number; i: number; node: number; leader: boolean }[] = [];
  for (const [node, list] of roles)
    for (const c of list) changes.push({ t: c.t, i: c.i, node, leader: c.role === 'leader' });
  changes.sort((a, b) => a.i - b.i);
  const leading = new Set<number>();
  const out: Overlap[] = [];
  let open: Overlap | null = null;
  for (const c of changes) {
    if (c.leader) leading.add(c.node);
    else leading.delete(c.node);
    if (leading.size > 1) {
      if (!open)
        out.push((open = { nodes: [...leading].sort(), from: c.t, to: undefined, i: c.i }));
      else
        for (const n of leading)
          if (!open.nodes.includes(n)) open.nodes = [...open.nodes, n].sort();
    } else if (open) {
      open.to = c.t;
      open = null;
    }
  }
  return out;
}

function InvariantMonitor() {
  const violations = usePlayground((s) => s.runIndex.violations);
  const roles = usePlayground((s) => s.runIndex.roles);
  const view = usePlayground((s) => s.view);
  const session = usePlayground((s) => s.session);
  const def = useDefinition();
  const termSafety = def.termSafety;
  const known = { ...GENERIC, ...def.invariants };
  const spans = useMemo(() => overlaps(roles), [roles]);
  const agreement = session.agreementOf(view) ?? { ok: true, problems: [] as string[] };
  const seek = (i: number) => playground.getState().seek(i + 1);
  const byKind = new Map<string, (typeof violations)[number][]>();
  for (const v of violations) {
    if (!byKind.has(v.invariant)) byKind.set(v.invariant, []);
    byKind.get(v.invariant)!.push(v);
  }
  const kinds = [
    ...(termSafety ? ['election-safety'] : ['split-brain']),
    ...[...byKind.keys()].filter((k) => k !== 'election-safety' && k !== 'split-brain'),
  ];
  for (const k of Object.keys(def.invariants ?? {})) if (!kinds.includes(k)) kinds.push(k);
  return (
    <section className="invariants" aria-labelledby="inv-title" data-testid="invariants">
      <h2 id="inv-title">Invariants</h2>
      <ul className="inv-list">
        {kinds.map((k) => {
          const list = byKind.get(k) ?? [];
          const ok = list.length === 0;
          return (
            <li key={k} className={`inv ${ok ? 'ok' : 'bad'}`} data-testid={`inv-${k}`}>
              <div className="inv-head">
                <span className="inv-status" aria-hidden="true">
                  {ok ? '✓' : '✗'}
                </span>
                <span className="inv-name">
                  <b>{known[k]?.title ?? k}</b>
                  <span className="muted">{known[k]?.promise ?? ''}</span>
                </span>
                <span className="inv-count">
                  {ok ? 'holds' : `${list.length} violation${list.length === 1 ? '' : 's'}`}
                </span>
              </div>
              {list.length > 0 && (
                <ul className="inv-violations">
                  {list.slice(-20).map((v) => (
                    <li key={`${v.eventIndex}-${v.t}`}>
                      <button
                        type="button"
                        className="link-btn"
                        onClick={() => seek(v.eventIndex)}
                        data-testid="violation-link"
                      >
                        #{v.eventIndex + 1} · {fmtMs(v.t)}
                        {v.until !== undefined
                          ? ` → ${fmtMs(v.until)}`
                          : k === 'split-brain'
                            ? ' → now'
                            : ''}
                      </button>{' '}
                      {v.invariant === 'split-brain' ? splitBrainText(v) : v.detail}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          );
        })}
        {termSafety && (
          <li className="inv info" data-testid="inv-overlap">
            <div className="inv-head">
              <span className="inv-status" aria-hidden="true">
                {spans.length ? '◐' : '✓'}
              </span>
              <span className="inv-name">
                <b>Overlapping leaders</b>
                <span className="muted">
                  allowed in different terms: the stale one cannot commit
                </span>
              </span>
              <span className="inv-count">{spans.length === 0 ? 'none' : spans.length}</span>
            </div>
            {spans.length > 0 && (
              <ul className="inv-violations">
                {spans.slice(-8).map((o) => (
                  <li key={o.i}>
                    <button type="button" className="link-btn" onClick={() => seek(o.i)}>
                      {fmtMs(o.from)} → {o.to !== undefined ? fmtMs(o.to) : 'still'}
                    </button>{' '}
                    nodes {o.nodes.join(', ')} believed they led
                  </li>
                ))}
              </ul>
            )}
          </li>
        )}
        <li className={`inv ${agreement.ok ? 'ok' : 'warn'}`} data-testid="inv-agreement">
          <div className="inv-head">
            <span className="inv-status" aria-hidden="true">
              {agreement.ok ? '✓' : '…'}
            </span>
            <span className="inv-name">
              <b>Agreement, right now</b>
              <span className="muted">every connected node names the same leader</span>
            </span>
            <span className="inv-count">{agreement.ok ? 'agree' : 'not yet'}</span>
          </div>
          {!agreement.ok && (
            <p className="hint">
              {agreement.problems.join('; ')}. Expected while an election or a partition is under
              way; a violation once the network has been quiet for a while.
            </p>
          )}
        </li>
      </ul>
    </section>
  );
}

function AddBreakpoint() {
  const def = useDefinition();
  const nodes = usePlayground((s) => s.scenario.nodes);
  const [kind, setKind] = useState<'state' | 'message'>('state');
  const [node, setNode] = useState('');
  const session = usePlayground((s) => s.session);
  const generation = usePlayground((s) => s.generation);
  const states = useMemo(() => {
    const set = new Set<string>();
    for (const m of session.machinesOf(generation))
      for (const s of chartOf(m).states) if (s.atomic) set.add(s.path);
    return [...set, 'dead'];
  }, [session, generation]);
  // the message types the algorithm declares (timers and user events are not messages)
  const types = useMemo(() => Object.keys(def.messages).sort(), [def]);
  const [state, setState] = useState('');
  const [type, setType] = useState('');
  const add = () => {
    const b: NewBreakpoint =
      kind === 'state'
        ? { kind: 'state', node: node === '' ? null : Number(node), state: state || states[0] }
        : { kind: 'message', type: type || types[0] };
    debugStore.getState().addBreakpoint(b);
  };
  return (
    <div className="bp-add" role="group" aria-label="Add a breakpoint">
      <select
        aria-label="Breakpoint kind"
        value={kind}
        onChange={(e) => setKind(e.target.value as 'state' | 'message')}
        data-testid="bp-kind"
      >
        <option value="state">Node enters state…</option>
        <option value="message">Message delivered…</option>
      </select>
      {kind === 'state' ? (
        <>
          <select aria-label="Which node" value={node} onChange={(e) => setNode(e.target.value)}>
            <option value="">any node</option>
            {nodes.map((n) => (
              <option key={n.id} value={n.id}>
                node {n.id}
              </option>
            ))}
          </select>
          <select
            aria-label="Which state"
            value={state || states[0]}
            onChange={(e) => setState(e.target.value)}
            data-testid="bp-state"
          >
            {states.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </>
      ) : (
        <select
          aria-label="Which message type"
          value={type || types[0]}
          onChange={(e) => setType(e.target.value)}
          data-testid="bp-type"
        >
          {types.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      )}
      <button type="button" className="small-btn primary" onClick={add} data-testid="bp-add">
        add
      </button>
    </div>
  );
}

function Breakpoints() {
  const bps = useDebug((s) => s.breakpoints);
  const hit = useDebug((s) => s.lastHit);
  const d = debugStore.getState();
  const builtIn = (k: string) => k === 'leader' || k === 'term' || k === 'violation';
  return (
    <section className="breakpoints" aria-labelledby="bp-title" data-testid="breakpoints">
      <h2 id="bp-title">Breakpoints</h2>
      <p className="hint">Playback stops right after the first event that matches.</p>
      {hit && (
        <p className="bp-hit" data-testid="bp-hit">
          <button
            type="button"
            className="link-btn"
            onClick={() => playground.getState().seek(hit.index)}
          >
            Stopped at #{hit.index}
          </button>
          : {hit.text}
        </p>
      )}
      <ul className="bp-list">
        {bps.map((b) => (
          <li key={b.id} className={b.enabled ? 'on' : ''}>
            <label>
              <input
                type="checkbox"
                checked={b.enabled}
                onChange={() => d.toggleBreakpoint(b.id)}
                data-testid={`bp-${b.kind}${builtIn(b.kind) ? '' : `-${b.id}`}`}
              />{' '}
              {describeBreakpoint(b)}
            </label>
            {!builtIn(b.kind) && (
              <button
                type="button"
                className="small-btn"
                onClick={() => d.removeBreakpoint(b.id)}
                aria-label={`Remove breakpoint: ${describeBreakpoint(b)}`}
              >
                ✕
              </button>
            )}
          </li>
        ))}
      </ul>
      <AddBreakpoint />
    </section>
  );
}

export function Checks() {
  return (
    <>
      <InvariantMonitor />
      <Breakpoints />
    </>
  );
}
