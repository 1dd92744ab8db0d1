/**
 * Presenter and client-request keys, consulted by app/keyboard.ts before its own: P turns
 * presenter mode on and off; W sends a client request (where the algorithm takes them);
 * and in presenter mode the show is run from the keyboard alone: Space play / pause,
 * → / ← one event forward / back, N / B the lesson's next / previous caption, Esc leaves.
 */
import { currentDefinition, playground } from '../store/store';
import { lessonStore } from '../lessons/lessonStore';
import { modes } from './mode';
import { sendClientRequest } from '../panels/ClientRequest';

type StepBack = { stepBack?: () => void };

export function featureKey(e: KeyboardEvent): boolean {
  if (e.ctrlKey || e.metaKey || e.altKey) return false;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  const m = modes.getState();
  const s = playground.getState();
  if (key === 'p') {
    m.togglePresent();
    return true;
  }
  if (key === 'w' && currentDefinition().clientRequest) {
    sendClientRequest();
    return true;
  }
  if (!m.present) return false;
  const lesson = lessonStore.getState();
  switch (key) {
    case ' ':
      s.togglePlay();
      return true;
    case 'ArrowRight':
      s.step();
      return true;
    case 'ArrowLeft': {
      const back = (s as unknown as StepBack).stepBack;
      if (typeof back === 'function') back();
      else s.showToast('Stepping back is not available in this version.');
      return true;
    }
    case 'n':
      if (!lesson.name) return false; // without a lesson, N runs to the next leader change
      lesson.next();
      return true;
    case 'b':
      if (lesson.name) lesson.back();
      return true;
    case 'Escape':
      m.setPresent(false);
      return true;
  }
  return false;
}
