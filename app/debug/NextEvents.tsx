/**
 * What happens next: every message in flight and every pending timer, in the order the
 * clock would process them. In manual delivery mode the user picks the next event
 * instead: deliver a message now, drop it, or fire a timer now. Each choice goes
 * through the store's `apply` (sim.apply), so it is recorded in the scenario and the
 * same choices replay exactly. Selecting a message shows its full payload.
 */
import { faults, type MessageView } from '../../algorithms/index';
import { playground, usePlayground } from '../store/store';
import { toneOf } from '../topology/palette';
import { debugStore, useDebug } from './debugStore';
import { HandIcon } from './icons';

const ms = (us: number) => `${(us / 1000).toFixed(1)} ms`;

type Row =
  | { kind: 'msg'; due: number; m: MessageView; held: boolean }
  | { kind: 'timer'; due: number; node: number; id: string; paused: boolean };

function Payload({ m }: { m: MessageView }) {
  const { rand: _rand, ...body } = m.body as Record<string, unknown>;
  return (
    <div className="payload" data-testid="message-payload">
      <dl className="facts">
        <dt>Message</dt>
        <dd>
          #{m.id} <b>{m.label}</b>
        </dd>
        <dt>From → to</dt>
        <dd>
          node {m.from} → node {m.to}
        </dd>
        <dt>Sent at</dt>
        <dd>{(m.sentAt / 1000).toFixed(3)} ms</dd>
        <dt>Due at</dt>
        <dd>
          {(m.deliverAt / 1000).toFixed(3)} ms{' '}
          <span className="muted">(latency {ms(m.deliverAt - m.sentAt)})</span>
        </dd>
        {m.lost && (
          <>
            <dt>Fate</dt>
            <dd className="warn-text">the network will lose it</dd>
          </>
        )}
      </dl>
      <pre className="payload-body" tabIndex={0} aria-label="Message body">
        {JSON.stringify(body, null, 2)}
      </pre>
    </div>
  );
}

export function ManualToggle() {
  const manual = useDebug((s) => s.manual);
  return (
    <label className={`manual-toggle${manual ? ' on' : ''}`}>
      <input
        type="checkbox"
        role="switch"
        checked={manual}
        aria-checked={manual}
        data-testid="manual-toggle"
        onChange={(e) => {
          if (e.target.checked) playground.getState().pause();
          debugStore.getState().setManual(e.target.checked);
        }}
      />
      <HandIcon /> Manual delivery
      <span className="manual-state">{manual ? 'on' : 'off'}</span>
    </label>
  );
}

export function NextEvents() {
  // throttled while playing: this list can be long
  const view = usePlayground((s) => s.view);
  const manual = useDebug((s) => s.manual);
  const selected = useDebug((s) => s.selectedMsg);
  const rows: Row[] = [];
  const paused = new Set(view.nodes.filter((n) => n.paused).map((n) => n.id));
  for (const m of view.inFlight)
    rows.push({ kind: 'msg', due: m.deliverAt, m, held: paused.has(m.to) });
  for (const n of view.nodes)
    for (const t of n.timers)
      rows.push({ kind: 'timer', due: t.due, node: n.id, id: t.id, paused: n.paused });
  rows.sort((a, b) => a.due - b.due);
  const sel = selected !== null ? view.inFlight.find((m) => m.id === selected) : undefined;
  const s = playground.getState();
  const d = debugStore.getState();

  return (
    <section className="next-events" aria-labelledby="next-title" data-testid="next-events">
      <h2 id="next-title">What happens next</h2>
      <ManualToggle />
      <p className="hint">
        {manual
          ? 'The clock waits for you: deliver or drop a message, or fire a timer. Each choice is recorded and replays exactly.'
          : 'In the order the clock will process them. Turn on manual delivery to choose the order yourself.'}
      </p>
      {rows.length === 0 ? (
        <p className="hint">Nothing is in flight and no timer is pending.</p>
      ) : (
        <ol className="next-list" data-testid="next-list" aria-label="Pending events">
          {rows.map((r, k) => {
            if (r.kind === 'msg') {
              const m = r.m;
              const tone = toneOf(m.kind);
              const name = `${m.label} from node ${m.from} to node ${m.to}`;
              return (
                <li
                  key={`m${m.id}`}
                  className={`next-row msg tone-${tone}${selected === m.id ? ' selected' : ''}${k === 0 ? ' first' : ''}`}
                  data-testid={`inflight-${m.id}`}
                  data-from={m.from}
                  data-to={m.to}
                  data-label={m.label}
                  aria-label={name}
                >
                  <button
                    type="button"
                    className="next-what"
                    onClick={() => d.selectMsg(selected === m.id ? null : m.id)}
                    aria-pressed={selected === m.id}
                    title="Show this message's payload"
                  >
                    <span className="tone-dot" aria-hidden="true" />
                    <span className="next-label">{m.label}</span>
                    <span className="next-route">
                      {m.from} → {m.to}
                    </span>
                    <span className="next-due">
                      {r.held ? 'held (paused)' : ms(m.deliverAt)}
                      {m.lost ? ' · lost' : ''}
                    </span>
                  </button>
                  {manual && (
                    <span className="next-acts">
                      <button
                        type="button"
                        className="small-btn primary"
                        onClick={() => s.apply(faults.deliverNow(m.id))}
                        aria-label={`Deliver ${name} now`}
                        title="Deliver it now, before anything else"
                        data-testid={`deliver-${m.id}`}
                      >
                        deliver
                      </button>
                      <button
                        type="button"
                        className="small-btn icon"
                        onClick={() => s.apply(faults.dropNow(m.id))}
                        aria-label={`Drop ${name}`}
                        title="Drop it: the network loses it"
                        data-testid={`drop-${m.id}`}
                      >
                        ✕
                      </button>
                    </span>
                  )}
                </li>
              );
            }
            const name = `node ${r.node}'s ${r.id} timer`;
            return (
              <li
                key={`t${r.node}-${r.id}`}
                className={`next-row timer${k === 0 ? ' first' : ''}`}
                data-testid={`timer-${r.node}-${r.id}`}
                aria-label={name}
              >
                <span className="next-what static">
                  <span className="timer-glyph" aria-hidden="true">
                    ◷
                  </span>
                  <span className="next-label">
                    node {r.node} · {r.id}
                  </span>
                  <span className="next-due">{r.paused ? 'waits (paused)' : ms(r.due)}</span>
                </span>
                {manual && (
                  <span className="next-acts">
                    <button
                      type="button"
                      className="small-btn primary"
                      onClick={() => s.apply(faults.fireNow(r.node, r.id))}
                      aria-label={`Fire ${name} now`}
                      data-testid={`fire-${r.node}-${r.id}`}
                    >
                      fire
                    </button>
                  </span>
                )}
              </li>
            );
          })}
        </ol>
      )}
      {sel && <Payload m={sel} />}
    </section>
  );
}
