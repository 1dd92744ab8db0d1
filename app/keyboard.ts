/**
 * Global keyboard shortcuts: they do what the help says wherever focus is, except for the
 * keys a text field, a select or a slider needs, and while a dialog is open.
 */
import { useEffect } from 'react';
import { playground } from './store/store';
import { nextSpeed } from './panels/Transport';
import { featureKey } from './presenter/keys';
import { modes } from './presenter/mode';
import {
  compareStore,
  compareStepAt,
  findCompareLesson,
  focusedStore,
  playedCompareLesson,
} from './compare/compareStore';

/**
 * Compare mode's keys: the transport keys drive the pair (both runs on one clock), N / B
 * move through a compare lesson's captions, and Esc leaves compare mode once nothing is
 * selected (and the presenter is off: there Esc leaves the presenter first).
 */
function compareKey(key: string): boolean {
  const c = compareStore.getState();
  const pair = c.pair;
  if (!c.active || !pair) return false;
  const lessonStep = (d: number) => {
    const lesson = c.lesson ? findCompareLesson(c.lesson) : undefined;
    if (!lesson) return false;
    const steps = playedCompareLesson(lesson).steps;
    const k = compareStepAt(lesson, pair.time()) + d;
    if (steps[k]) pair.seekTime(steps[k].timeUs);
    return true;
  };
  switch (key) {
    case ' ':
      pair.togglePlay();
      return true;
    case 'ArrowRight':
      pair.step();
      return true;
    case 'ArrowLeft':
      pair.stepBack();
      return true;
    case 'Home':
      pair.seekTime(0);
      return true;
    case 'End':
      pair.toEnd();
      return true;
    case 'n':
      lessonStep(1);
      return true;
    case 'b':
      lessonStep(-1);
      return true;
    // one run alone must not move: running to a violation, a client request
    case 'v':
    case 'w':
      return true;
    case '+':
    case '=':
      pair.setSpeed(nextSpeed(pair.snapshot().speed, 1));
      return true;
    case '-':
    case '_':
      pair.setSpeed(nextSpeed(pair.snapshot().speed, -1));
      return true;
    case 'Escape': {
      if (modes.getState().present) return false;
      const s = focusedStore().getState();
      if (s.selected.length > 0 || s.link || s.menu) s.clearSelection();
      else c.leave();
      return true;
    }
  }
  return false;
}

/** Input types that are not for typing: the shortcuts work there as anywhere else. */
const NOT_TEXT = new Set([
  'checkbox',
  'radio',
  'button',
  'submit',
  'reset',
  'range',
  'color',
  'file',
]);

/**
 * Does the focused element need this key for itself? Text fields need every key, a select
 * its arrows and Space, a slider its arrows, Home and End. Anything else (a button, a
 * checkbox, a link, a node) leaves the shortcuts to do what the help says: a focused
 * button is pressed with Enter. In the network view the arrows are the view's.
 */
function ownsKey(target: EventTarget | null, key: string): boolean {
  // the network view is one tab stop: inside it the arrows move between nodes and links,
  // and Enter or Space on a link cuts or heals it (the view handles them)
  if (target instanceof SVGElement && target.closest('.topology')) {
    if (key.startsWith('Arrow')) return true;
    if ((key === 'Enter' || key === ' ') && target.hasAttribute('data-link')) return true;
  }
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (target as HTMLInputElement).type;
    if (type === 'range')
      return (
        key.startsWith('Arrow') ||
        key === 'Home' ||
        key === 'End' ||
        key === 'PageUp' ||
        key === 'PageDown'
      );
    return !NOT_TEXT.has(type);
  }
  return false;
}

export function handleShortcut(e: KeyboardEvent): boolean {
  if (e.ctrlKey || e.metaKey || e.altKey) return false;
  let s = playground.getState();
  if (s.confirm) return false;
  if (s.shortcutsOpen) {
    if (e.key === '?' || e.key === 'Escape') {
      s.setShortcutsOpen(false);
      return true;
    }
    return false;
  }
  if (ownsKey(e.target, e.key)) return false;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (compareKey(key)) return true;
  if (featureKey(e)) return true;
  // in compare mode the node keys act on the focused view (its faults land in both runs)
  if (compareStore.getState().active) s = focusedStore().getState();
  switch (key) {
    case ' ':
      s.togglePlay();
      return true;
    case 'ArrowRight':
      s.step();
      return true;
    case 'ArrowLeft':
      s.stepBack();
      return true;
    case 'Home':
      s.seek(0);
      return true;
    case 'End':
      s.seek(s.position.max);
      return true;
    case 'v':
      s.runUntilViolation();
      return true;
    case 'n':
      s.runUntilLeaderChange();
      return true;
    case '+':
    case '=':
      s.setSpeed(nextSpeed(s.speed, 1));
      return true;
    case '-':
    case '_':
      s.setSpeed(nextSpeed(s.speed, -1));
      return true;
    case 'k':
      if (!needNode(s)) return true;
      s.kill();
      return true;
    case 'r':
      if (!needNode(s)) return true;
      s.restart();
      return true;
    case 'z':
      if (!needNode(s)) return true;
      s.togglePaused();
      return true;
    case 't':
      if (!needNode(s)) return true;
      s.forceTimeout();
      return true;
    case 'i':
      s.isolate(s.selected);
      return true;
    case 'c':
      s.toggleSelectedLink();
      return true;
    case 'h':
      s.healAll();
      return true;
    case '?':
      s.closeMenu();
      s.setShortcutsOpen(true);
      return true;
    case 'Escape':
      s.clearSelection();
      return true;
  }
  const digit = /^Digit([1-9])$/.exec(e.code);
  if (digit) {
    const id = Number(digit[1]);
    if (s.view.byId.has(id)) {
      s.closeMenu();
      s.selectNode(id, e.shiftKey);
    }
    return true;
  }
  return false;
}

function needNode(s: ReturnType<typeof playground.getState>): boolean {
  if (s.selected.length > 0) return true;
  s.showToast('Select a node first: click it, or press its number.');
  return false;
}

export function useShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      if (handleShortcut(e)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
