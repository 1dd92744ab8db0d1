/**
 * The experiments panel (loaded on demand): a drawer over the right of the page, so the
 * network view stays visible and keeps running while trials run in Web Workers.
 */
import { useEffect, useRef, useState } from 'react';
import { EXPERIMENT_TABS, experiments, useExperiments, type ExperimentTab } from './params';
import { experimentLinkPart, experimentValue } from './link';
import { cancelRun } from './runs';
import { currentFragment } from '../share/link';
import { Fig16Experiment } from './Fig16';
import { MessagesExperiment } from './Messages';
import { DowntimeExperiment } from './Downtime';
import './experiments.css';

const TITLES: Record<ExperimentTab, { title: string; sub: string }> = {
  fig16: { title: 'Raft downtime', sub: 'Figure 16 of the Raft paper' },
  messages: { title: 'Messages per election', sub: 'Bully and Ring vs theory' },
  downtime: { title: 'Downtime vs network', sub: 'Raft, Bully, Ring as loss or latency grows' },
};

const INTRO: Record<ExperimentTab, string> = {
  fig16:
    'How long is a five-server Raft cluster without a leader after the leader crashes? Each line is the cumulative distribution over many crashes for one election timeout range. A little randomness ends split votes quickly; shorter timeouts shorten the downtime.',
  messages:
    'How many messages does one election cost? Bully’s worst case is quadratic, Chang-Roberts averages n·Hₙ, collect-ids with everyone initiating is quadratic again. Measured means (points) against the closed forms (dashed).',
  downtime:
    'The same crash, three algorithms, a worse network: how long until someone leads again, as messages get lost or slow down?',
};

/**
 * The share link, as the address bar shows it: app/share's scenario fragment, which
 * carries this panel's parameters while the panel is open. If the scenario cannot be
 * written, the page's own address with this panel's current parameters.
 */
function linkToHere(): string {
  const { origin, pathname, hash } = window.location;
  try {
    return `${origin}${pathname}#${currentFragment()}`;
  } catch {
    const base = (hash.startsWith('#') ? hash.slice(1) : hash)
      .split('&')
      .filter((p) => p && experimentValue(p) === null)
      .join('&');
    const part = experimentLinkPart();
    return `${origin}${pathname}#${base ? `${base}${part}` : part.slice(1)}`;
  }
}

export default function ExperimentsPanel() {
  const tab = useExperiments((s) => s.tab);
  const ref = useRef<HTMLElement>(null);
  const [copied, setCopied] = useState<string | null>(null);

  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('[role="tab"][aria-selected="true"]')?.focus();
  }, []);

  const close = () => experiments.getState().setOpen(false);
  const onKeyDown = (e: React.KeyboardEvent) => {
    // keys typed here belong to the panel, not to the playground's shortcuts
    e.stopPropagation();
    if (e.key === 'Escape') {
      e.preventDefault();
      close();
    }
  };
  const onTabKey = (e: React.KeyboardEvent) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    e.preventDefault();
    const i = EXPERIMENT_TABS.indexOf(tab);
    const next =
      EXPERIMENT_TABS[
        (i + (e.key === 'ArrowRight' ? 1 : EXPERIMENT_TABS.length - 1)) % EXPERIMENT_TABS.length
      ];
    experiments.getState().setTab(next);
    window.requestAnimationFrame(() => document.getElementById(`xp-tab-${next}`)?.focus());
  };

  const copyLink = async () => {
    const link = linkToHere();
    try {
      await navigator.clipboard.writeText(link);
      setCopied('Link copied');
    } catch {
      setCopied('Copy failed: select the address bar');
    }
    window.setTimeout(() => setCopied(null), 2500);
  };

  return (
    <aside
      ref={ref}
      className="xp-panel"
      role="dialog"
      aria-modal="false"
      aria-labelledby="xp-heading"
      data-testid="experiments-panel"
      onKeyDown={onKeyDown}
    >
      <header className="xp-head">
        <h2 id="xp-heading">Experiments</h2>
        <div className="xp-tabs" role="tablist" aria-label="Experiment" onKeyDown={onTabKey}>
          {EXPERIMENT_TABS.map((t) => (
            <button
              key={t}
              id={`xp-tab-${t}`}
              type="button"
              role="tab"
              aria-selected={t === tab}
              aria-controls="xp-tabpanel"
              tabIndex={t === tab ? 0 : -1}
              className={t === tab ? 'on' : undefined}
              data-testid={`xp-tab-${t}`}
              onClick={() => experiments.getState().setTab(t)}
            >
              <span className="xp-tab-title">{TITLES[t].title}</span>
              <span className="xp-tab-sub">{TITLES[t].sub}</span>
            </button>
          ))}
        </div>
        <span className="xp-spacer" />
        <button
          type="button"
          className="btn"
          onClick={copyLink}
          data-testid="xp-copy-link"
          title="A link that opens this panel with these parameters"
        >
          {copied ?? 'Copy link'}
        </button>
        <button
          type="button"
          className="btn icon-btn"
          onClick={close}
          aria-label="Close experiments (Esc); a run keeps going"
          title="Close (Esc). A run keeps going."
          data-testid="xp-close"
        >
          ✕
        </button>
      </header>
      <div id="xp-tabpanel" className="xp-body" role="tabpanel" aria-labelledby={`xp-tab-${tab}`}>
        <p className="xp-intro">{INTRO[tab]}</p>
        {tab === 'fig16' && <Fig16Experiment />}
        {tab === 'messages' && <MessagesExperiment />}
        {tab === 'downtime' && <DowntimeExperiment />}
      </div>
    </aside>
  );
}

export { cancelRun };
