/**
 * What issue 9 adds to the screen: the payment service's counters and the store's
 * revision on the stage (PaymentBoard, lease only), and per-node details in the
 * inspector (NodeFacts): a Raft node's log, a lease worker's fencing token, the store's
 * keys, the payment book.
 */
import type { NodeVM } from '../store/view';
import { usePlayground } from '../store/store';
import { raftLog, termColor } from '../topology/annotations';
import { clockRateOf, rateText } from './ClockDrift';
import '../topology/annotations.css';

interface Book {
  charges: number;
  duplicates: number;
  rejected: number;
  alreadyCharged: number;
  maxToken: number;
  fencing: boolean;
}

interface Key {
  key: string;
  owner: number;
  lease: number;
  createRevision: number;
}

export function bookOf(node: NodeVM | undefined): Book | null {
  const c = node?.context as { book?: Book; role?: string } | undefined;
  return c && c.role === 'payment' && c.book ? c.book : null;
}

function storeOf(node: NodeVM | undefined): { revision: number; keys: Key[] } | null {
  const c = node?.context as
    { store$?: { revision: number; keys: Key[] }; role?: string } | undefined;
  return c && c.role === 'store' && c.store$ ? c.store$ : null;
}

function Counter(props: {
  label: string;
  value: number;
  testid: string;
  bad?: boolean;
  note: string;
}) {
  return (
    <div className={`pay-cell${props.bad && props.value > 0 ? ' bad' : ''}`} title={props.note}>
      <dt>{props.label}</dt>
      <dd data-testid={props.testid}>{props.value}</dd>
    </div>
  );
}

/** The payment story's numbers, on the stage where the class can see them. */
export function PaymentBoard() {
  const algorithm = usePlayground((s) => s.scenario.algorithm);
  const nodes = usePlayground((s) => s.view.nodes);
  if (algorithm !== 'lease') return null;
  const service = nodes.find((n) => bookOf(n) !== null);
  const book = bookOf(service);
  const storeNode = nodes.find((n) => storeOf(n) !== null);
  const st = storeOf(storeNode);
  const holder = st?.keys.length
    ? st.keys.reduce((a, b) => (b.createRevision < a.createRevision ? b : a))
    : null;
  return (
    <aside className="pay-board" aria-label="Payment service and store" data-testid="payment-board">
      {book && service && (
        <>
          <h2>
            <span aria-hidden="true">◆</span> Payments
            <span className="pay-node">node {service.id}</span>
            <span
              className={`fence-chip ${book.fencing ? 'on' : 'off'}`}
              data-testid="pay-fencing"
              title={
                book.fencing
                  ? 'The payment service rejects a fencing token lower than the highest it has seen'
                  : 'The payment service charges whatever it is asked to'
              }
            >
              fencing {book.fencing ? 'on' : 'off'}
            </span>
          </h2>
          <dl className="pay-grid">
            <Counter
              label="charges made"
              value={book.charges}
              testid="pay-charges"
              note="Customers charged by the payment service"
            />
            <Counter
              label="duplicate charges"
              value={book.duplicates}
              testid="pay-duplicates"
              bad
              note="A customer charged twice for the same period: money taken twice"
            />
            <Counter
              label="rejected by fencing"
              value={book.rejected}
              testid="pay-rejected"
              note="Charges refused because their fencing token was lower than the highest seen (a stale leader)"
            />
            <Counter
              label="already paid"
              value={book.alreadyCharged}
              testid="pay-already"
              note="Charges refused because that customer had already paid for that period"
            />
          </dl>
        </>
      )}
      {st && storeNode && (
        <p className="pay-store">
          <span aria-hidden="true">▤</span> Store{' '}
          <b data-testid="store-revision">revision {st.revision}</b>
          {holder ? (
            <>
              {' '}
              · leader key: node {holder.owner}, token {holder.createRevision}
            </>
          ) : (
            ' · no leader key'
          )}
        </p>
      )}
    </aside>
  );
}

/** Extra inspector facts for the selected node: its clock drift, then what its algorithm keeps. */
export function NodeFacts({ node }: { node: NodeVM }) {
  const rate = clockRateOf(node.id);
  return (
    <>
      {rate !== 1 && (
        <p className="clock-drift" data-testid="inspector-clock">
          <span aria-hidden="true">◷</span> Its clock runs {rateText(rate)}: its timers fire{' '}
          {rate > 1 ? `${rate}× as often` : `${1 / rate}× as slowly`} as true time says.
        </p>
      )}
      <AlgorithmNodeFacts node={node} />
    </>
  );
}

function AlgorithmNodeFacts({ node }: { node: NodeVM }) {
  const algorithm = usePlayground((s) => s.scenario.algorithm);
  if (algorithm === 'raft') {
    const l = raftLog(node);
    if (!l) return null;
    const shown = l.log.slice(-12);
    const from = l.log.length - shown.length;
    return (
      <div className="node-facts" data-testid="inspector-log">
        <h3>
          Log · {l.log.length} entr{l.log.length === 1 ? 'y' : 'ies'} · commit index {l.commit}
        </h3>
        {l.log.length === 0 ? (
          <p className="hint">Empty. Press W (Client request) to send the leader a command.</p>
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
  if (algorithm === 'lease') {
    const book = bookOf(node);
    if (book)
      return (
        <div className="node-facts">
          <h3>Payment book</h3>
          <p>
            {book.charges} charges · {book.duplicates} duplicate · {book.rejected} rejected by
            fencing · {book.alreadyCharged} already paid · highest token {book.maxToken} · fencing{' '}
            {book.fencing ? 'on' : 'off'}
          </p>
        </div>
      );
    const st = storeOf(node);
    if (st)
      return (
        <div className="node-facts">
          <h3>Store · revision {st.revision}</h3>
          {st.keys.length === 0 ? (
            <p className="hint">No keys under /election/.</p>
          ) : (
            <ul className="keys">
              {st.keys.map((k) => (
                <li key={k.key}>
                  <code>{k.key}</code> node {k.owner} · create revision {k.createRevision} · lease{' '}
                  {k.lease}
                </li>
              ))}
            </ul>
          )}
        </div>
      );
    const c = node.context as { token?: number; lease?: number | null } | undefined;
    if (c && typeof c.token === 'number')
      return (
        <div className="node-facts">
          <h3>Fencing token</h3>
          <p data-testid="inspector-token">
            {c.token > 0
              ? `${c.token} (the create revision of its key)`
              : 'none yet (no key in the store)'}
            {c.lease ? ` · lease ${c.lease}` : ''}
          </p>
        </div>
      );
  }
  return null;
}
