/**
 * The banner for a link that cannot be opened. It says what is wrong (the decoder's
 * message, with the field path for schema errors), keeps the broken link as read-only
 * text with a Copy button for a bug report, and offers the default scenario. The
 * scenario that was running keeps running underneath.
 */
import { useRef, useState } from 'react';
import { playground } from '../store/store';
import { baseScenario } from '../store/scenarios';
import { banner, headline, useBanner } from './banner';
import { copyText } from './copy';
import './share.css';

function sentence(s: string): string {
  const t = s.trim();
  if (!t) return t;
  return `${t[0].toUpperCase()}${t.slice(1)}${/[.!?]$/.test(t) ? '' : '.'}`;
}

export function LinkBanner() {
  const problem = useBanner((s) => s.problem);
  const [copied, setCopied] = useState<number | null>(null);
  const field = useRef<HTMLInputElement>(null);
  if (!problem || problem.source !== 'link') return null;
  const dismiss = () => banner.getState().dismiss();
  return (
    <div
      className="link-banner"
      role="alert"
      data-testid="link-banner"
      data-kind={problem.kind}
      aria-labelledby="link-banner-title"
    >
      <div className="link-banner-icon" aria-hidden="true">
        !
      </div>
      <div className="link-banner-body">
        <h2 id="link-banner-title" data-testid="link-banner-title">
          {headline(problem)}
        </h2>
        <p className="link-banner-message" data-testid="link-banner-message">
          {sentence(problem.message)}{' '}
          {problem.running === 'default'
            ? 'The default scenario is running instead.'
            : 'The scenario you had is still running.'}
        </p>
        <div className="link-banner-text">
          <input
            ref={field}
            readOnly
            value={problem.text}
            aria-label="The link that could not be opened"
            data-testid="link-banner-text"
            onFocus={(e) => e.currentTarget.select()}
          />
          <button
            type="button"
            className="btn"
            onClick={async () => {
              const ok = await copyText(problem.text, field.current);
              setCopied(ok ? problem.key : null);
            }}
            data-testid="link-banner-copy"
          >
            {copied === problem.key ? '✓ Copied' : 'Copy link text'}
          </button>
        </div>
        <div className="link-banner-actions">
          <button
            type="button"
            className="btn primary"
            data-testid="link-banner-default"
            onClick={() => {
              dismiss();
              playground.getState().load(baseScenario(), {
                presetId: 'five',
                title: 'Load the default scenario?',
              });
            }}
          >
            Open the default scenario
          </button>
          <button type="button" className="btn" onClick={dismiss} data-testid="link-banner-dismiss">
            Keep the current one
          </button>
        </div>
      </div>
      <button
        type="button"
        className="link-banner-close"
        onClick={dismiss}
        aria-label="Dismiss"
        title="Dismiss"
      >
        ×
      </button>
    </div>
  );
}
