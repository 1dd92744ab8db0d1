/**
 * The payment story's numbers on the stage, where the class can see them: the payment
 * service's counters (charges, duplicates, rejected by fencing, already paid) and the
 * store's revision with the current leader key.
 */
import type { NodeVM } from '../../store/view';
import { usePlayground } from '../../store/store';
import '../../topology/annotations.css';

interface Book {
  charges: number;
  duplicates: number;
  rejected: number;
  alreadyCharged: number;
  maxToken: number;
  fencing: boolean;
  idempotent: boolean;
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
  const nodes = usePlayground((s) => s.view.nodes);
  const service = nodes.find((n) => bookOf(n) !== null);
  const book = bookOf(service);
  // a store run as a Raft group: its state is the store leader's (a follower may lag)
  const storeNode =
    nodes.find((n) => storeOf(n) !== null && n.state === 'leader') ??
    nodes.find((n) => storeOf(n) !== null);
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
            <span
              className={`fence-chip ${book.idempotent ? 'on' : 'off'}`}
              data-testid="pay-idempotent"
              title={
                book.idempotent
                  ? 'The payment service refuses to charge a customer twice for one period'
                  : 'The payment service charges a customer again for a period already paid'
              }
            >
              {book.idempotent ? 'idempotent' : 'not idempotent'}
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
