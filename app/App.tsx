/** The playground's layout: header, network view, side panel, transport bar. */
import { NetworkView } from './topology/NetworkView';
import { Header } from './panels/Header';
import { Transport } from './panels/Transport';
import { Inspector } from './panels/Inspector';
import { NetworkControls } from './panels/NetworkControls';
import { EventLog } from './panels/EventLog';
import { ConfirmDialog, ShortcutsOverlay, ToastLine } from './panels/Overlays';
import { useShortcuts } from './keyboard';

export function App() {
  useShortcuts();
  return (
    <div className="app">
      <Header />
      <main className="stage" aria-label="Network view">
        <NetworkView />
      </main>
      <aside className="side" aria-label="Inspector and events">
        <Inspector />
        <NetworkControls />
        <EventLog />
      </aside>
      <Transport />
      <ConfirmDialog />
      <ShortcutsOverlay />
      <ToastLine />
    </div>
  );
}
