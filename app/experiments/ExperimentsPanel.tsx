/**
 * The experiments panel (loaded on demand): a drawer over the right of the page, so the
 * network view stays visible and keeps running while trials run in Web Workers.
 */
import { useEffect, useRef, useState } from 'react';
import { messageCostAlgorithms, downtimeAlgorithms } from '../../algorithms/index';
import {
  CDF_EXPERIMENTS,
  EXPERIMENT_TABS,
  experiments,
  isCdfTab,
  useExperiments,
  type ExperimentTab,
} from './params';
import { experimentLinkPart, experimentValue } from './link';
import { cancelRun } from './runs';
import { currentFragment } from '../share/link';
import { Fig16Experiment } from './Fig16';
import { MessagesExperiment } from './Messages';
import { DowntimeExperiment } from './Downtime';
import './experiments.css';

/** "a and b", "a, b and c". */
const andList = (xs: string[]) =>
  xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;

const counted = messageCostAlgorithms().map((a) => a.title);
const compared = downtimeAlgorithms().map((a) => a.title);

/** Each tab's title, the line under it and the paragraph that opens it. */
const TITLES: Record<ExperimentTab, { title: string; sub: string; intro: string }> = {
  ...Object.fromEntries(
    CDF_EXPERIMENTS.map((x) => [x.id, { title: x.title, sub: x.sub, intro: x.intro }]),
  ),
  messages: {
    title: 'Messages per election',
    sub: `${andList(counted)} vs theory`,
    intro: `How many messages does one election cost? ${andList(counted)}, for growing clusters and different choices of who notices the crash: measured means (points) against the closed forms from the literature (dashed).`,
  },
  downtime: {
    title: 'Downtime vs network',
    sub: `${compared.join(', ')} as loss or latency grows`,
    intro: `The same crash, ${andList(compared)}, a worse network: how long until someone leads again, as messages get lost or slow down?`,
  },
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
        <p className="xp-intro">{TITLES[tab].intro}</p>
        {isCdfTab(tab) && <Fig16Experiment key={tab} tab={tab} />}
        {tab === 'messages' && <MessagesExperiment />}
        {tab === 'downtime' && <DowntimeExperiment />}
      </div>
    </aside>
  );
}

export { cancelRun };
