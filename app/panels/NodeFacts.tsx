/**
 * The inspector's per-node facts: the node's clock drift, its replicated log (for
 * algorithms that keep one), what its algorithm's definition says it keeps, and any
 * bespoke part the algorithm registers in app/algorithms.
 */
import type { NodeVM } from '../store/view';
import { useDefinition } from '../store/store';
import { logOf, termColor } from '../topology/annotations';
import { clockRateOf, rateText } from './ClockDrift';
import { algorithmViews } from '../algorithms';
import '../topology/annotations.css';

function LogFacts({ node }: { node: NodeVM }) {
  const def = useDefinition();
  const l = logOf(def, node);
  if (!l) return null;
  const shown = l.entries.slice(-12);
  const from = l.entries.length - shown.length;
  const n = l.entries.length;
  return (
    <div className="node-facts" data-testid="inspector-log">
      <h3>
        Log · {n} entr{n === 1 ? 'y' : 'ies'} · commit index {l.commit}
      </h3>
      {n === 0 ? (
        <p className="hint">
          Empty.{def.clientRequest ? ' Press W (Client request) to send the leader a command.' : ''}
        </p>
      ) : (
        <ol className="log-list-mini" start={from + 1}>
          {from > 0 && <li className="more">… {from} older</li>}
          {shown.map((e, k) => {
            const index = from + k + 1;
            const committed = index <= l.commit;
            return (
              <li
                key={index}
                className={committed ? 'committed' : 'pending'}
                data-testid={`log-entry-${index}`}
              >
                <span className="idx">#{index}</span>
                <span className="term-chip" style={{ background: termColor(e.term) }}>
                  t{e.term}
                </span>
                <span>cmd {e.command}</span>
                <span className="state">{committed ? '✓ committed' : 'not committed'}</span>
              </li>
            );
          })}
        </ol>
      )}
    </div>
  );
}

function DefinitionFacts({ node }: { node: NodeVM }) {
  const def = useDefinition();
  const facts = def.facts?.({
    id: node.id,
    alive: node.alive,
    state: node.state,
    context: node.context,
    summary: node,
  });
  if (!facts || facts.length === 0) return null;
  return (
    <dl className="node-facts fact-list" data-testid="inspector-facts">
      {facts.map((f) => (
        <div key={f.label} className="fact" title={f.hint}>
          <dt>{f.label}</dt>
          <dd data-testid={`fact-${f.label.replace(/\s+/g, '-')}`}>{f.value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Extra inspector facts for the selected node: its clock drift, then what its algorithm keeps. */
export function NodeFacts({ node }: { node: NodeVM }) {
  const def = useDefinition();
  const rate = clockRateOf(node.id);
  const Bespoke = algorithmViews[def.name]?.NodeFacts;
  return (
    <>
      {rate !== 1 && (
        <p className="clock-drift" data-testid="inspector-clock">
          <span aria-hidden="true">◷</span> Its clock runs {rateText(rate)}: its timers fire{' '}
          {rate > 1 ? `${rate}× as often` : `${1 / rate}× as slowly`} as true time says.
        </p>
      )}
      <LogFacts node={node} />
      <DefinitionFacts node={node} />
      {Bespoke && <Bespoke node={node} />}
    </>
  );
}

/** The algorithm's bespoke stage part, if it registers one (app/algorithms). */
export function StageExtras() {
  const def = useDefinition();
  const Stage = algorithmViews[def.name]?.Stage;
  return Stage ? <Stage /> : null;
}
