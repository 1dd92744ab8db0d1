/**
 * The header's Compare button, apart from the compare views so that those load only when
 * compare mode is first used.
 */
import { compareStore, useCompare } from './compareStore';

/** The header's entry point: picks the second run (again, while comparing). */
export function CompareButton() {
  const active = useCompare((s) => s.active);
  return (
    <button
      type="button"
      className={`btn compare-btn${active ? ' active' : ''}`}
      aria-haspopup="dialog"
      aria-label="Compare…"
      data-testid="compare-button"
      title="Run a second algorithm or setting side by side on the same fault story"
      onClick={() => compareStore.getState().setPickerOpen(true)}
    >
      <span aria-hidden="true">⇆</span>
      <span className="compare-btn-text"> Compare…</span>
    </button>
  );
}
