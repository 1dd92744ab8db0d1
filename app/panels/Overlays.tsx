/** The confirmation before a restart, the shortcuts sheet, and the toast line. */
import { useEffect } from 'react';
import { playground, usePlayground } from '../store/store';
import { Dialog } from './Dialog';

export const SHORTCUTS: [string, string][] = [
  ['Space', 'play / pause'],
  ['→ / ←', 'step one event forward / back (outside the network view)'],
  ['Home / End', 'jump to the start / the end of the explored run'],
  ['N', 'run until the leader changes'],
  ['V', 'run until the next invariant violation'],
  ['+ / −', 'faster / slower'],
  ['1 … 9', 'select node 1 … 9'],
  ['Tab', 'into the network view (one stop), then out of it'],
  ['← / → in the view', 'previous / next node, or the focused node’s previous / next link'],
  ['↓ / ↑ in the view', 'from a node to its links / from a link back to its node'],
  ['Enter', 'a focused node: its actions; a focused link: cut / heal it (Space too)'],
  ['Shift-click', 'add a node to the selection'],
  ['K', 'kill the selected node'],
  ['R', 'restart the selected node'],
  ['Z', 'pause / resume the selected node'],
  ['T', 'force the selected node’s timer (start an election)'],
  ['I', 'isolate the selected nodes (partition)'],
  ['C', 'cut / heal the selected link'],
  ['H', 'heal all cuts and partitions'],
  ['W', 'client request to the Raft leader (log replication)'],
  ['P', 'presenter mode (then Space, ← / →, N / B, Esc)'],
  ['Esc', 'close menus, clear the selection'],
  ['?', 'show this sheet'],
];

export function ConfirmDialog() {
  const confirm = usePlayground((s) => s.confirm);
  if (!confirm) return null;
  const s = playground.getState();
  return (
    <Dialog
      title={confirm.title}
      onClose={() => s.answerConfirm(false)}
      role="alertdialog"
      testid="confirm-dialog"
    >
      <p className="dialog-text">{confirm.message}</p>
      <div className="dialog-buttons">
        <button type="button" className="btn" onClick={() => s.answerConfirm(false)} data-autofocus>
          Cancel
        </button>
        <button
          type="button"
          className="btn primary"
          onClick={() => s.answerConfirm(true)}
          data-testid="confirm-ok"
        >
          {confirm.confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}

export function ShortcutsOverlay() {
  const open = usePlayground((s) => s.shortcutsOpen);
  if (!open) return null;
  const close = () => playground.getState().setShortcutsOpen(false);
  return (
    <Dialog title="Keyboard shortcuts" onClose={close} testid="shortcuts-overlay">
      <table className="shortcuts">
        <tbody>
          {SHORTCUTS.map(([k, v]) => (
            <tr key={k}>
              <th scope="row">
                <kbd>{k}</kbd>
              </th>
              <td>{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="dialog-buttons">
        <button type="button" className="btn primary" onClick={close} data-autofocus>
          Close
        </button>
      </div>
    </Dialog>
  );
}

export function ToastLine() {
  const toast = usePlayground((s) => s.toast);
  useEffect(() => {
    if (!toast) return;
    const t = window.setTimeout(() => {
      if (playground.getState().toast?.key === toast.key) playground.setState({ toast: null });
    }, 4500);
    return () => window.clearTimeout(t);
  }, [toast]);
  return (
    <div className="toast-region" role="status" aria-live="polite">
      {toast && (
        <div className={`toast ${toast.tone}`} data-testid="toast">
          {toast.text}
        </div>
      )}
    </div>
  );
}
