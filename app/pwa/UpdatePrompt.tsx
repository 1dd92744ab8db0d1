/**
 * "A new version is ready": shown when a new deployment has been downloaded in the
 * background. Reload activates it; the run on screen comes back from the address bar,
 * which always holds it. Later keeps this version until the next visit.
 */
import { updates } from './register';
import './pwa.css';

export function UpdatePrompt() {
  const needRefresh = updates((s) => s.needRefresh);
  if (!needRefresh) return null;
  return (
    <div
      className="update-prompt"
      role="status"
      aria-labelledby="update-prompt-title"
      data-testid="update-prompt"
    >
      <p id="update-prompt-title" className="update-prompt-title">
        A new version of the playground is ready.
      </p>
      <p id="update-prompt-text" className="update-prompt-text">
        Reload to use it: the run on screen comes back from its link.
      </p>
      <div className="update-prompt-actions">
        <button
          type="button"
          className="btn primary"
          data-testid="update-reload"
          onClick={() => updates.getState().reload()}
        >
          Reload
        </button>
        <button
          type="button"
          className="btn"
          data-testid="update-later"
          onClick={() => updates.getState().dismiss()}
        >
          Later
        </button>
      </div>
    </div>
  );
}
