/**
 * Client requests from the transport bar, for algorithms that take them (Raft's log
 * replication): "Client request" (W) sends a command to the leader (recorded as a
 * `request` action, so a link replays it). Commands are numbered 1, 2, 3… in the order
 * they were sent.
 */
import { faults } from '../../algorithms/index';
import { currentDefinition, playground, useDefinition } from '../store/store';

export function nextCommand(): number {
  const acts = playground.getState().session.actions();
  let n = 0;
  for (const a of acts) if (a.type === 'request') n++;
  return n + 1;
}

export function sendClientRequest(): void {
  const s = playground.getState();
  if (!currentDefinition().clientRequest) return;
  const command = nextCommand();
  const leader = s.view.leader;
  s.apply(faults.request(command));
  if (leader === null)
    s.showToast(`Client request ${command}: there is no leader to take it right now.`);
}

export function ClientRequestButton() {
  const def = useDefinition();
  if (!def.clientRequest) return null;
  return (
    <button
      type="button"
      className="btn"
      onClick={sendClientRequest}
      aria-label="Send a client request to the leader (W)"
      title="Send a client request to the leader: it appends the command to its log and replicates it (W)"
      data-testid="client-request"
    >
      <span aria-hidden="true">✎</span> <span className="btn-text">Client request</span>{' '}
      <kbd>W</kbd>
    </button>
  );
}
