/**
 * Network-wide controls: latency range and loss (each change is a recorded action,
 * applied when the slider is released), heal all, and the number of nodes.
 */
import { useEffect, useRef, useState } from 'react';
import { playground, usePlayground } from '../store/store';
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

export function NetworkControls() {
  const latMin = usePlayground((s) => s.view.latency.min);
  const latMax = usePlayground((s) => s.view.latency.max);
  const loss = usePlayground((s) => s.view.loss);
  const nodes = usePlayground((s) => s.view.nodes.length);
  const broken = usePlayground((s) => s.view.cuts.size > 0 || s.view.groups !== null);
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
      <div className="slider-row">
        <label htmlFor="lat-min">Latency min</label>
        <input
          id="lat-min"
          type="range"
          min={0}
          max={300}
          step={1}
          value={min}
          onChange={(e) => setMin(Number(e.target.value))}
          data-testid="latency-min"
        />
        <output htmlFor="lat-min">{min} ms</output>
      </div>
      <div className="slider-row">
        <label htmlFor="lat-max">Latency max</label>
        <input
          id="lat-max"
          type="range"
          min={0}
          max={300}
          step={1}
          value={max}
          onChange={(e) => setMax(Number(e.target.value))}
          data-testid="latency-max"
        />
        <output htmlFor="lat-max">{max} ms</output>
      </div>
      <div className="slider-row">
        <label htmlFor="loss">Message loss</label>
        <input
          id="loss"
          type="range"
          min={0}
          max={50}
          step={1}
          value={lossPct}
          onChange={(e) => setLossPct(Number(e.target.value))}
          data-testid="loss"
        />
        <output htmlFor="loss">{lossPct}%</output>
      </div>
      <div className="slider-row nodes-row">
        <span>
          Nodes: <strong data-testid="node-count">{nodes}</strong>{' '}
          <span className="muted">
            (<Term k="quorum">quorum</Term> {Math.floor(nodes / 2) + 1})
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
