/** The playground's layout: header, network view, side panel, transport bar. */
import { lazy, Suspense } from 'react';
import { NetworkView } from './topology/NetworkView';
import { Header } from './panels/Header';
import { Transport } from './panels/Transport';
import { Inspector } from './panels/Inspector';
import { NetworkControls } from './panels/NetworkControls';
import { ConfirmDialog, ShortcutsOverlay, ToastLine } from './panels/Overlays';
import { useShortcuts } from './keyboard';
import { SideTabs } from './debug/SideTabs';
import { BottomPanel } from './debug/BottomPanel';
import { Scrubber } from './debug/Scrubber';
import { SeekProgress } from './debug/SeekProgress';
import { StepHighlight } from './debug/StepHighlight';
import { useDebugger } from './debug/useDebugger';
import { LessonsPanel } from './panels/LessonsPanel';
import { StageExtras } from './panels/NodeFacts';
import { PresenterBar } from './presenter/PresenterBar';
import { LinkBanner } from './share/LinkBanner';
import { EmbedOpen } from './share/EmbedOpen';
import { ExperimentsHost } from './experiments/ExperimentsHost';
import { useCompare } from './compare/compareStore';

/** Compare mode's views load when it is first used (a link may open in it). */
const compareView = () => import('./compare/CompareView');
const CompareStage = lazy(() => compareView().then((m) => ({ default: m.CompareStage })));
const CompareBar = lazy(() => compareView().then((m) => ({ default: m.CompareBar })));
const ComparePicker = lazy(() => compareView().then((m) => ({ default: m.ComparePicker })));

export function App() {
  useShortcuts();
  useDebugger();
  const comparing = useCompare((s) => s.active);
  const picking = useCompare((s) => s.pickerOpen);
  return (
    <div className={`app${comparing ? ' comparing' : ''}`}>
      <Header />
      <main className="stage" aria-label="Network view">
        {comparing ? (
          <Suspense fallback={null}>
            <CompareStage />
          </Suspense>
        ) : (
          <>
            <NetworkView />
            <StepHighlight />
            <StageExtras />
          </>
        )}
        <EmbedOpen />
      </main>
      {!comparing && (
        <>
          <aside className="side" aria-label="Inspector and events">
            <LessonsPanel />
            <SideTabs inspector={<Inspector />} network={<NetworkControls />} />
          </aside>
          <BottomPanel />
          <Scrubber />
          <Transport />
        </>
      )}
      {(comparing || picking) && (
        <Suspense fallback={null}>
          {comparing && <CompareBar />}
          {picking && <ComparePicker />}
        </Suspense>
      )}
      <PresenterBar />
      <LinkBanner />
      <ExperimentsHost />
      <ConfirmDialog />
      <ShortcutsOverlay />
      <ToastLine />
      <SeekProgress />
    </div>
  );
}
