/** The side panel's top: the selected node or link, or the cluster when nothing is selected. */
import { playground, useDefinition, usePlayground } from '../store/store';
import { nodeEpoch } from '../../algorithms/index';
import { linkKey, quorumText, type NodeVM } from '../store/view';
import { roleLook } from '../topology/palette';
import { Term } from './Glossary';
import { NodeFacts } from './NodeFacts';
import { TimerList } from './TimerList';
import { formatCount } from '../format';

function timerWord(id: string): React.ReactNode {
  if (id === 'election') return <Term k="timeout">election timer</Term>;
  if (id === 'heartbeat') return <Term k="heartbeat">heartbeat</Term>;
  return id;
}

const capitalised = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);

function NodeInspector({ node }: { node: NodeVM }) {
  const def = useDefinition();
  const quorum = usePlayground((s) => s.view.quorum);
  const peers = usePlayground((s) => s.view.nodes);
  const cuts = usePlayground((s) => s.view.cuts);
  const groups = usePlayground((s) => s.view.groups);
  const look = roleLook(node, def);
  const s = playground.getState();
  // a store's revision or a worker's token is not a term: each kind names its own number
  const epoch = node.term === undefined ? null : nodeEpoch(def, node.state, node.term);
  return (
    <section className="inspector" aria-labelledby="inspector-title" data-testid="inspector">
      <h2 id="inspector-title">
        <span className={`badge role-${look.key}`}>
          {look.glyph && <span aria-hidden="true">{look.glyph} </span>}
          {look.text}
        </span>{' '}
        Node {node.id}
        {node.paused && <span className="badge paused">❚❚ PAUSED</span>}
      </h2>
      <dl className="facts">
        {epoch && (
          <>
            <dt data-testid="inspector-epoch-name">
              {epoch.name === 'term' ? <Term k="term">Term</Term> : capitalised(epoch.name)}
            </dt>
            <dd data-testid="inspector-term">{epoch.value}</dd>
          </>
        )}
        {node.votedFor !== undefined && (
          <>
            <dt>
              <Term k="vote">Voted for</Term>
            </dt>
            <dd>{node.votedFor === null ? '—' : `node ${node.votedFor}`}</dd>
          </>
        )}
        {node.votes && (
          <>
            <dt>
              <Term k="quorum">Votes</Term>
            </dt>
            <dd>
              {node.votes.length} of {quorum} needed ({node.votes.join(', ')})
            </dd>
          </>
        )}
        <dt>Believes leader</dt>
        <dd>{node.leader ? `node ${node.leader}` : '—'}</dd>
        <dt>State</dt>
        <dd>
          <code>{node.state}</code>
          {node.incarnation > 0 && ` · restarted ${node.incarnation}×`}
        </dd>
        {node.timers.length > 0 && (
          <>
            <dt>Timers</dt>
            <dd>
              <TimerList timers={node.timers} word={timerWord} />
            </dd>
          </>
        )}
      </dl>
      <NodeFacts node={node} />
      <div className="action-row">
        <button
          type="button"
          className="btn danger"
          disabled={!node.alive}
          onClick={() => s.kill(node.id)}
          data-testid="inspector-kill"
        >
          Kill <kbd>K</kbd>
        </button>
        <button type="button" className="btn" onClick={() => s.restart(node.id)}>
          Restart <kbd>R</kbd>
        </button>
        <button
          type="button"
          className="btn"
          disabled={!node.alive}
          onClick={() => s.togglePaused(node.id)}
          data-testid="inspector-pause"
        >
          {node.paused ? 'Resume' : 'Pause'} <kbd>Z</kbd>
        </button>
        <button
          type="button"
          className="btn"
          disabled={!node.alive}
          onClick={() => s.forceTimeout(node.id)}
        >
          Timeout <kbd>T</kbd>
        </button>
      </div>
      <details className="links-list">
        <summary>Links of node {node.id}</summary>
        <ul>
          {peers
            .filter((p) => p.id !== node.id)
            .map((p) => {
              const out = cuts.has(linkKey(node.id, p.id));
              const inc = cuts.has(linkKey(p.id, node.id));
              const part = groups !== null && groups[node.id] !== groups[p.id];
              const state =
                out && inc
                  ? 'cut'
                  : out
                    ? `cut ${node.id}→${p.id}`
                    : inc
                      ? `cut ${p.id}→${node.id}`
                      : part
                        ? 'partitioned'
                        : 'ok';
              return (
                <li key={p.id}>
                  <span>
                    ↔ {p.id}: {state}
                  </span>
                  <button
                    type="button"
                    className="small-btn"
                    onClick={() => (out || inc ? s.heal(node.id, p.id) : s.cut(node.id, p.id))}
                    onFocus={() => undefined}
                    aria-label={`${out || inc ? 'Heal' : 'Cut'} the link between node ${node.id} and node ${p.id}`}
                  >
                    {out || inc ? 'heal' : 'cut'}
                  </button>
                  <button
                    type="button"
                    className="small-btn"
                    onClick={() => s.selectLink(Math.min(node.id, p.id), Math.max(node.id, p.id))}
                    aria-label={`Select the link between node ${node.id} and node ${p.id}`}
                  >
                    select
                  </button>
                </li>
              );
            })}
        </ul>
      </details>
    </section>
  );
}

function LinkInspector({ from, to }: { from: number; to: number }) {
  const ab = usePlayground((s) => s.view.cuts.has(linkKey(from, to)));
  const ba = usePlayground((s) => s.view.cuts.has(linkKey(to, from)));
  const part = usePlayground(
    (s) => s.view.groups !== null && s.view.groups[from] !== s.view.groups[to],
  );
  const s = playground.getState();
  const dir = (x: boolean) => (x ? 'dropped' : part ? 'blocked by partition' : 'delivered');
  return (
    <section className="inspector" aria-labelledby="inspector-title" data-testid="inspector">
      <h2 id="inspector-title">
        Link {from} ↔ {to}
      </h2>
      <dl className="facts">
        <dt>
          {from} → {to}
        </dt>
        <dd data-testid="link-ab">{dir(ab)}</dd>
        <dt>
          {to} → {from}
        </dt>
        <dd data-testid="link-ba">{dir(ba)}</dd>
      </dl>
      <div className="action-row">
        {ab || ba ? (
          <button type="button" className="btn" onClick={() => s.heal(from, to)}>
            Heal <kbd>C</kbd>
          </button>
        ) : (
          <button type="button" className="btn danger" onClick={() => s.cut(from, to)}>
            Cut <kbd>C</kbd>
          </button>
        )}
        <button type="button" className="btn" disabled={ab} onClick={() => s.cut(from, to, true)}>
          Cut {from}→{to}
        </button>
        <button type="button" className="btn" disabled={ba} onClick={() => s.cut(to, from, true)}>
          Cut {to}→{from}
        </button>
      </div>
    </section>
  );
}

function ClusterInspector() {
  const view = usePlayground((s) => s.view);
  const selected = usePlayground((s) => s.selected);
  const alive = view.nodes.filter((n) => n.alive).length;
  const s = playground.getState();
  return (
    <section className="inspector" aria-labelledby="inspector-title" data-testid="inspector">
      <h2 id="inspector-title">
        {selected.length > 1 ? `${selected.length} nodes selected` : 'Cluster'}
      </h2>
      {selected.length > 1 ? (
        <>
          <p className="hint">Nodes {selected.join(', ')}. Isolate them from the rest:</p>
          <div className="action-row">
            <button
              type="button"
              className="btn danger"
              onClick={() => s.isolate(selected)}
              data-testid="partition-selected"
            >
              Partition <kbd>I</kbd>
            </button>
          </div>
        </>
      ) : (
        <>
          <dl className="facts">
            <dt>Nodes</dt>
            <dd>
              {view.nodes.length} ({alive} alive)
            </dd>
            <dt>
              <Term k="quorum">Quorum</Term>
            </dt>
            <dd data-testid="cluster-quorum">{quorumText(view)}</dd>
            <dt>Messages</dt>
            <dd>
              {formatCount(view.inFlight.length)} in flight · {formatCount(view.sent)} sent ·{' '}
              {formatCount(view.dropped)} dropped
            </dd>
          </dl>
          <p className="hint">
            Click a node to kill, pause or restart it. Click a link to cut it. Shift-click nodes (or
            drag a lasso on empty space) to partition.
          </p>
        </>
      )}
    </section>
  );
}

export function Inspector() {
  const node = usePlayground((s) =>
    s.selected.length === 1 ? s.view.byId.get(s.selected[0]) : undefined,
  );
  const link = usePlayground((s) => s.link);
  if (node) return <NodeInspector node={node} />;
  if (link) return <LinkInspector from={link.from} to={link.to} />;
  return <ClusterInspector />;
}
