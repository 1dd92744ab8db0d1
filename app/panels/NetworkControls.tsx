/**
 * Network-wide controls: latency range and loss (each change is a recorded action,
 * applied when the slider is released), heal all, and the number of nodes.
 */
import { useEffect, useRef, useState } from 'react';
import { playground, usePlayground } from '../store/store';
import { quorumText } from '../store/view';
import { Term } from './Glossary';

/** Local slider state that follows the store, committed once the user lets go. */
function useCommitted(value: number, commit: (v: number) => void): [number, (v: number) => void] {
  const [local, setLocal] = useState(value);
  const [prev, setPrev] = useState(value);
  const timer = useRef(0);
  if (value !== prev) {
    setPrev(value);
    setLocal(value);
  }
  useEffect(() => () => window.clearTimeout(timer.current), []);
  const change = (v: number) => {
    setLocal(v);
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => commit(v), 350);
  };
  return [local, change];
}

/** A labelled range input from 0 with its value shown beside it. */
function SliderRow(props: {
  id: string;
  label: string;
  max: number;
  value: number;
  onChange(v: number): void;
  unit: string;
  testid: string;
}) {
  return (
    <div className="slider-row">
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="range"
        min={0}
        max={props.max}
        step={1}
        value={props.value}
        onChange={(e) => props.onChange(Number(e.target.value))}
        data-testid={props.testid}
      />
      <output htmlFor={props.id}>
        {props.value}
        {props.unit}
      </output>
    </div>
  );
}

export function NetworkControls() {
  const latMin = usePlayground((s) => s.view.latency.min);
  const latMax = usePlayground((s) => s.view.latency.max);
  const loss = usePlayground((s) => s.view.loss);
  const nodes = usePlayground((s) => s.view.nodes.length);
  // a service on a Raft group: its replicas' majority, not the node count's
  const serviceQuorum = usePlayground((s) =>
    s.view.quorumWho === 'nodes' ? null : quorumText(s.view),
  );
  const broken = usePlayground((s) => s.view.cuts.size > 0 || s.view.groups !== null);
  const warnings = usePlayground((s) => s.warnings);
  const s = playground.getState();
  const [min, setMin] = useCommitted(latMin, (v) =>
    s.setLatency(v, Math.max(v, playground.getState().view.latency.max)),
  );
  const [max, setMax] = useCommitted(latMax, (v) =>
    s.setLatency(Math.min(v, playground.getState().view.latency.min), v),
  );
  const [lossPct, setLossPct] = useCommitted(Math.round(loss * 100), (v) => s.setLoss(v / 100));

  return (
    <section className="net-controls" aria-labelledby="net-title">
      <div className="section-head">
        <h2 id="net-title">Network</h2>
        <button
          type="button"
          className="btn"
          onClick={() => s.healAll()}
          disabled={!broken}
          data-testid="heal-all"
          title="Remove every cut and partition (H)"
        >
          Heal all <kbd>H</kbd>
        </button>
      </div>
      <SliderRow
        id="lat-min"
        label="Latency min"
        max={300}
        value={min}
        onChange={setMin}
        unit=" ms"
        testid="latency-min"
      />
      <SliderRow
        id="lat-max"
        label="Latency max"
        max={300}
        value={max}
        onChange={setMax}
        unit=" ms"
        testid="latency-max"
      />
      <SliderRow
        id="loss"
        label="Message loss"
        max={50}
        value={lossPct}
        onChange={setLossPct}
        unit="%"
        testid="loss"
      />
      {warnings.length > 0 && (
        <div className="timing-warnings" role="note" data-testid="timing-warnings">
          <strong>The timeouts do not suit this network:</strong>
          <ul>
            {warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
          Leave them empty in Parameters to have them follow the network.
        </div>
      )}
      <div className="slider-row nodes-row">
        <span>
          Nodes: <strong data-testid="node-count">{nodes}</strong>{' '}
          <span className="muted">
            (<Term k="quorum">quorum</Term> {serviceQuorum ?? Math.floor(nodes / 2) + 1})
          </span>
        </span>
        <span className="btn-pair">
          <button
            type="button"
            className="btn icon-btn"
            onClick={() => s.removeNode()}
            disabled={nodes <= 1}
            aria-label="Remove a node (restarts the scenario)"
            title="Remove the last node (restarts the scenario)"
            data-testid="remove-node"
          >
            −
          </button>
          <button
            type="button"
            className="btn icon-btn"
            onClick={() => s.addNode()}
            disabled={nodes >= 64}
            aria-label="Add a node (restarts the scenario)"
            title="Add a node (restarts the scenario)"
            data-testid="add-node"
          >
            +
          </button>
        </span>
      </div>
    </section>
  );
}
