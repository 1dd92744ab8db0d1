/** Top bar: algorithm and preset pickers, parameters, share, theme and help. */
import { lazy, Suspense, useState } from 'react';
import { playground, useDefinition, usePlayground } from '../store/store';
import { algorithmPresets, availableAlgorithms, presets } from '../store/scenarios';
import { ParamsDialog } from './ParamsDialog';
import { LessonsDialog } from './LessonsPanel';
import { LESSON_PREFIX, lessons, lessonStore } from '../lessons/lessonStore';
import { useTheme } from './theme';
import { ExperimentsButton } from '../experiments/ExperimentsHost';
import { CompareButton } from '../compare/CompareButton';

/** The share dialog and its file exports load when first opened, not with the page. */
const ShareDialog = lazy(() =>
  import('../share/ShareDialog').then((m) => ({ default: m.ShareDialog })),
);

/** `?test-algorithms` in the address lists the algorithms that exist for the tests (echo). */
function showTestAlgorithms(): boolean {
  return (
    typeof location !== 'undefined' && new URLSearchParams(location.search).has('test-algorithms')
  );
}

export function Header() {
  const algorithm = usePlayground((s) => s.scenario.algorithm);
  const presetId = usePlayground((s) => s.presetId);
  const [paramsOpen, setParamsOpen] = useState(false);
  const [shareOpen, setShareOpen] = useState(false);
  const [lessonsOpen, setLessonsOpen] = useState(false);
  const [theme, toggleTheme] = useTheme();
  const def = useDefinition();
  const algos = availableAlgorithms(showTestAlgorithms());
  const current = algos.find((a) => a.name === algorithm);
  const own = algorithmPresets(algorithm);

  return (
    <header className="app-header">
      <h1 className="brand">
        <span className="brand-mark" aria-hidden="true">
          ★
        </span>
        <span className="brand-name">Election Playground</span>
      </h1>
      <div className="header-controls">
        <label className="field">
          <span>Algorithm</span>
          <select
            data-testid="algorithm-picker"
            aria-label="Algorithm"
            value={algorithm}
            title={current?.describe}
            onChange={(e) => playground.getState().setAlgorithm(e.target.value)}
          >
            {algos.map((a) => (
              <option key={a.name} value={a.name}>
                {a.title}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Scenario</span>
          <select
            data-testid="preset-picker"
            aria-label="Scenario preset"
            value={presetId ?? ''}
            onChange={(e) => {
              const v = e.target.value;
              if (v.startsWith(LESSON_PREFIX))
                lessonStore.getState().start(v.slice(LESSON_PREFIX.length));
              else if (v) playground.getState().loadPreset(v);
            }}
          >
            {presetId === null && <option value="">Custom</option>}
            {presets.map((p) => (
              <option key={p.id} value={p.id} title={p.description}>
                {p.title}
              </option>
            ))}
            {own.length > 0 && (
              <optgroup label={`${def.title} stories`}>
                {own.map((p) => (
                  <option key={p.id} value={p.id} title={p.description}>
                    {p.title}
                  </option>
                ))}
              </optgroup>
            )}
            <optgroup label="Lessons">
              {lessons.map((l) => (
                <option key={l.name} value={LESSON_PREFIX + l.name} title={l.summary}>
                  {l.title}
                </option>
              ))}
            </optgroup>
          </select>
        </label>
        <button
          type="button"
          className="btn"
          onClick={() => setParamsOpen(true)}
          data-testid="params-button"
          aria-haspopup="dialog"
        >
          Parameters…
        </button>
      </div>
      <div className="header-right">
        <button
          type="button"
          className="btn"
          onClick={() => setLessonsOpen(true)}
          aria-haspopup="dialog"
          data-testid="lessons-button"
          title="Guided lessons with captions"
        >
          Lessons
        </button>
        <CompareButton />
        <ExperimentsButton />
        <button
          type="button"
          className="btn"
          onClick={() => setShareOpen(true)}
          aria-haspopup="dialog"
          data-testid="share-button"
          title="Copy a link to this exact run, or export it as files"
        >
          Share
        </button>
        <button
          type="button"
          className="btn icon-btn"
          onClick={toggleTheme}
          aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
          title={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
          data-testid="theme-toggle"
        >
          {theme === 'dark' ? '☀' : '☾'}
        </button>
        <button
          type="button"
          className="btn icon-btn"
          onClick={() => playground.getState().setShortcutsOpen(true)}
          aria-label="Keyboard shortcuts (?)"
          title="Keyboard shortcuts (?)"
          data-testid="help-button"
        >
          ?
        </button>
      </div>
      {paramsOpen && <ParamsDialog onClose={() => setParamsOpen(false)} />}
      {shareOpen && (
        <Suspense fallback={null}>
          <ShareDialog onClose={() => setShareOpen(false)} />
        </Suspense>
      )}
      {lessonsOpen && <LessonsDialog onClose={() => setLessonsOpen(false)} />}
    </header>
  );
}
