/**
 * Share: the link to this exact run (scenario, every recorded action, the event on
 * screen) with a Copy button that confirms, embed and presenter variants, and the files:
 * scenario JSON in and out, the trace as JSON or CSV, pictures as SVG or PNG.
 */
import { Fragment, useMemo, useRef, useState } from 'react';
import { playground } from '../store/store';
import { Dialog } from '../panels/Dialog';
import { headline, type ProblemKind } from './banner';
import { currentLink } from './link';
import { openScenario } from './sync';
import {
  decodeScenarioText,
  exportPicture,
  exportScenario,
  exportTrace,
  fitsInLink,
} from './files';
import { copyText } from './copy';
import './share.css';

/** The pictures the dialog exports, each as SVG or PNG. */
const PICTURES = [
  { which: 'network', title: 'Network view' },
  { which: 'timeline', title: 'Space-time diagram' },
] as const;

export function ShareDialog({ onClose }: { onClose(): void }) {
  const [embed, setEmbed] = useState(false);
  const [present, setPresent] = useState(false);
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const [fileError, setFileError] = useState<{ kind: ProblemKind; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const linkRef = useRef<HTMLInputElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const link = useMemo(() => currentLink({ embed, present }), [embed, present]);
  const fits = useMemo(() => fitsInLink(), []);
  const s = playground.getState();
  const events = s.position.index;
  const actions = s.position.actions;

  const copy = async () => {
    const ok = await copyText(link, linkRef.current);
    setCopied(ok ? 'yes' : 'no');
    if (!ok) linkRef.current?.select();
  };

  const onFile = async (file: File | undefined) => {
    if (!file) return;
    setFileError(null);
    let text: string;
    try {
      text = await file.text();
    } catch {
      setFileError({ kind: 'file', message: 'the file could not be read' });
      return;
    }
    const d = decodeScenarioText(text);
    if (!d.ok) {
      setFileError({ kind: d.kind, message: d.message });
      return;
    }
    onClose();
    openScenario(d.scenario, d.view, {}, { ask: true, title: `Open “${file.name}”?` });
    playground
      .getState()
      .showToast(
        d.view.event
          ? `Opened ${file.name}: the run replays exactly to event ${d.view.event.toLocaleString('en')}, where it was saved.`
          : `Opened ${file.name}: the run replays exactly from 0 ms.`,
      );
  };

  const picture = async (which: 'network' | 'timeline', format: 'svg' | 'png') => {
    setBusy(true);
    try {
      const ok = await exportPicture(which, format);
      if (!ok) playground.getState().showToast('There is no picture to export.', 'error');
    } catch (e) {
      playground.getState().showToast(`Export failed: ${String(e)}`, 'error');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title="Share this run" onClose={onClose} testid="share-dialog" wide>
      <p className="dialog-text">
        The link holds the whole scenario with the {actions} action{actions === 1 ? '' : 's'}{' '}
        recorded so far and opens on event {events.toLocaleString('en')}: whoever opens it sees this
        exact run, in any browser.
      </p>
      <div className="share-link-row">
        <input
          ref={linkRef}
          className="share-link"
          readOnly
          value={link}
          aria-label="Link to this run"
          data-testid="share-link"
          onFocus={(e) => e.currentTarget.select()}
        />
        <button
          type="button"
          className="btn primary"
          onClick={copy}
          data-testid="copy-link"
          data-autofocus
        >
          {copied === 'yes' ? '✓ Copied' : 'Copy link'}
        </button>
      </div>
      {!fits && (
        <p className="share-error" role="alert" data-testid="link-too-large">
          This run has too many recorded actions for a link: the link would not open. Download the
          scenario as a file instead (below).
        </p>
      )}
      <p className="share-status" role="status" data-testid="copy-status">
        {copied === 'yes'
          ? `Link copied (${link.length} characters). Paste it anywhere.`
          : copied === 'no'
            ? 'The browser did not allow copying: the link is selected, press Ctrl+C.'
            : `${link.length} characters`}
      </p>
      <div className="share-options">
        <label>
          <input
            type="checkbox"
            checked={embed}
            onChange={(e) => {
              setEmbed(e.target.checked);
              setCopied(null);
            }}
            data-testid="share-embed"
          />
          Embed: only the network view and the transport (for slides and course pages)
        </label>
        <label>
          <input
            type="checkbox"
            checked={present}
            onChange={(e) => {
              setPresent(e.target.checked);
              setCopied(null);
            }}
          />
          Open in presenter mode
        </label>
      </div>

      <h3 className="share-h">Files</h3>
      <div className="share-files">
        <span className="share-what">Scenario</span>
        <div className="share-btns">
          <button
            type="button"
            className="btn"
            onClick={exportScenario}
            data-testid="export-scenario"
          >
            Download JSON
          </button>
          <button
            type="button"
            className="btn"
            onClick={() => fileRef.current?.click()}
            data-testid="import-scenario"
          >
            Open a file…
          </button>
          <input
            ref={fileRef}
            type="file"
            accept=".json,application/json,text/plain"
            hidden
            data-testid="import-file"
            onChange={(e) => {
              void onFile(e.target.files?.[0]);
              e.target.value = '';
            }}
          />
        </div>
        <span className="share-what">Trace</span>
        <div className="share-btns">
          <button
            type="button"
            className="btn"
            onClick={() => exportTrace('json')}
            data-testid="export-trace-json"
          >
            JSON
          </button>
          <button
            type="button"
            className="btn"
            onClick={() => exportTrace('csv')}
            data-testid="export-trace-csv"
          >
            CSV
          </button>
          <span className="muted">
            {events.toLocaleString('en')} event{events === 1 ? '' : 's'}
          </span>
        </div>
        {PICTURES.map(({ which, title }) => (
          <Fragment key={which}>
            <span className="share-what">{title}</span>
            <div className="share-btns">
              {(['svg', 'png'] as const).map((format) => (
                <button
                  key={format}
                  type="button"
                  className="btn"
                  disabled={busy}
                  onClick={() => picture(which, format)}
                  data-testid={`export-${which}-${format}`}
                >
                  {format.toUpperCase()}
                </button>
              ))}
            </div>
          </Fragment>
        ))}
      </div>
      {fileError && (
        <div className="share-error" role="alert" data-testid="import-error">
          <strong>{headline({ kind: fileError.kind, source: 'file' })}.</strong>{' '}
          {fileError.message[0].toUpperCase() + fileError.message.slice(1)}. The current scenario is
          unchanged.
        </div>
      )}
      <div className="dialog-buttons">
        <button type="button" className="btn" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
