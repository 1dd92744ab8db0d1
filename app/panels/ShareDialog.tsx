/**
 * Placeholder for sharing: shareable URLs come with the URL codec (a later issue). For
 * now the dialog shows the exact scenario, every recorded action included, as JSON.
 */
import { useMemo, useState } from 'react';
import { playground } from '../store/store';
import { Dialog } from './Dialog';

export function ShareDialog({ onClose }: { onClose(): void }) {
  const json = useMemo(() => JSON.stringify(playground.getState().exportScenario(), null, 2), []);
  const [copied, setCopied] = useState(false);
  return (
    <Dialog title="Share this scenario" onClose={onClose} testid="share-dialog" wide>
      <p className="dialog-text">
        Share links are coming. Meanwhile this is the exact scenario, with every action you applied
        at the simulated time you applied it: the same JSON replays the same run, event for event,
        in any browser and in the CLI (<code>npm run sim -- run file.json</code>).
      </p>
      <textarea className="json" readOnly value={json} aria-label="Scenario JSON" rows={14} />
      <div className="dialog-buttons">
        <button
          type="button"
          className="btn"
          onClick={() => {
            navigator.clipboard?.writeText(json).then(
              () => setCopied(true),
              () => setCopied(false),
            );
          }}
        >
          {copied ? 'Copied' : 'Copy JSON'}
        </button>
        <button type="button" className="btn primary" onClick={onClose} data-autofocus>
          Close
        </button>
      </div>
    </Dialog>
  );
}
