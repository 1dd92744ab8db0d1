/**
 * Keeps the address bar in step with the playground and opens links.
 *
 * - Writing: every change that matters to a link (a new scenario, a recorded action, a
 *   moved node, the event position, presenter / embed mode, the lesson, the open
 *   experiment and its parameters) schedules one
 *   `history.replaceState` a moment later: the address always shares what is on screen,
 *   and the back button is not filled with every step.
 * - Opening: a fragment is decoded (never throws); a good one replaces the scenario and
 *   lands on its event (seek when the simulation has history, else run forward) and its
 *   clock; a broken one leaves the current scenario running and shows the banner, and
 *   the broken link stays in the address bar until the banner is dismissed.
 */
import { playground } from '../store/store';
import { modes } from '../presenter/mode';
import { LESSON_PREFIX, lessonStore } from '../lessons/lessonStore';
import { banner } from './banner';
import { currentFragment, decodeFragment, isScenarioFragment, parseExtras } from './link';
import { subscribeExperimentLink } from '../experiments/link';
import { decodeComparePart, type Scenario } from '../../algorithms/index';
import { compareStore } from '../compare/compareStore';

const WRITE_DELAY_MS = 350;
const WRITE_DELAY_PLAYING_MS = 800;

type Seekable = { seek?: (i: number) => void };

/** Moves the playground to event index `e`, then to clock `t` (µs) if it lies before the next event. */
export function landOn(e: number, t?: number): void {
  const s = playground.getState();
  const atClock = () => {
    if (t === undefined) return;
    const { session, now } = playground.getState();
    const next = session.nextEventTime();
    if (t > now && (next === undefined || t < next)) playground.getState().runFor((t - now) / 1000);
  };
  if (e > 0 && e !== s.position.index) {
    const max = s.position.max;
    const seek = (s as unknown as Seekable).seek;
    if (e <= max && typeof seek === 'function') seek(e);
    else {
      if (e < s.position.index && typeof seek === 'function') seek(0);
      // a far event replays in slices with a progress bar; the clock follows once there
      playground.getState().runToEvent(e, atClock);
      return;
    }
  }
  atClock();
}

/** Loads a validated scenario with the link's view options and lands where the link says. */
export function openScenario(
  scenario: Scenario,
  view: { event?: number; embed?: boolean; present?: boolean },
  extras: { lesson?: string; t?: number },
  opts: { ask: boolean; title?: string },
  then?: () => void,
): void {
  const run = () => {
    const s = playground.getState();
    s.pause();
    const before = s.generation;
    s.load(scenario, {
      ask: false,
      presetId: extras.lesson ? LESSON_PREFIX + extras.lesson : null,
    });
    if (playground.getState().generation === before) return; // refused (the store said why)
    landOn(view.event ?? 0, extras.t);
    modes.getState().setPresent(!!view.present);
    modes.getState().setEmbed(!!view.embed);
    banner.getState().dismiss();
    then?.();
  };
  const acted = playground.getState().userActions;
  if (!opts.ask || acted === 0) run();
  else
    playground.setState({
      confirm: {
        title: opts.title ?? 'Open the linked scenario?',
        message: `This replaces the current simulation and discards the ${acted} action(s) you applied.`,
        confirmLabel: 'Open',
        run,
      },
    });
}

/**
 * Opens a link's fragment. Returns 'opened', 'broken' (the banner says why; nothing was
 * replaced) or 'none' (no fragment).
 */
export function openFragment(
  fragment: string,
  opts: { ask: boolean },
): 'opened' | 'broken' | 'none' {
  if (!isScenarioFragment(fragment)) return 'none';
  const d = decodeFragment(fragment);
  if (!d.ok) {
    banner.getState().show({
      source: 'link',
      kind: d.kind,
      message: d.message,
      text: window.location.href,
      running: opts.ask ? 'yours' : 'default',
    });
    return 'broken';
  }
  // a compare link: the second run and the shared clock; a broken part opens nothing
  const cmp = decodeComparePart(fragment, d.scenario);
  if (cmp && !cmp.ok) {
    banner.getState().show({
      source: 'link',
      kind: 'schema',
      message: cmp.message,
      text: window.location.href,
      running: opts.ask ? 'yours' : 'default',
    });
    return 'broken';
  }
  if (cmp)
    openScenario(d.scenario, { ...d.view, event: 0 }, {}, opts, () =>
      compareStore.getState().enter(cmp.second, { t: cmp.timeUs }),
    );
  else openScenario(d.scenario, d.view, parseExtras(fragment), opts);
  return 'opened';
}

let timer = 0;
let started = false;

function write(): void {
  timer = 0;
  if (banner.getState().problem?.source === 'link') return; // keep the broken link visible
  let frag: string;
  try {
    frag = currentFragment();
  } catch {
    return; // a scenario the codec cannot write is not worth a crash; the old address stays
  }
  if (window.location.hash.slice(1) === frag) return;
  const { pathname, search } = window.location;
  window.history.replaceState(window.history.state, '', `${pathname}${search}#${frag}`);
}

/** Writes the address bar now (before a reload, say) instead of a moment later. */
export function flushUrl(): void {
  if (!started) return;
  if (timer) window.clearTimeout(timer);
  write();
}

function schedule(): void {
  if (timer) return;
  const delay = playground.getState().playing ? WRITE_DELAY_PLAYING_MS : WRITE_DELAY_MS;
  timer = window.setTimeout(write, delay);
}

/**
 * Opens the page's own link (if any) and starts keeping the address bar in step. Returns
 * whether the page should start playing by itself: a link to a particular event opens
 * paused on that event.
 */
export function startUrlSync(): { autoplay: boolean } {
  let autoplay = true;
  if (!started) {
    started = true;
    const hash = window.location.hash;
    const outcome = openFragment(hash, { ask: false });
    if (outcome === 'opened') {
      const d = decodeFragment(hash);
      if (d.ok && (d.view.event ?? 0) > 0) autoplay = false;
      if (d.ok && parseExtras(hash).lesson) autoplay = false;
      if (compareStore.getState().active) autoplay = false;
    }
    playground.subscribe((s, prev) => {
      // another scenario replaced the one the banner was about: the banner is stale
      if (s.generation !== prev.generation && banner.getState().problem)
        banner.getState().dismiss();
      if (
        s.generation !== prev.generation ||
        s.userActions !== prev.userActions ||
        s.scenario !== prev.scenario ||
        s.presetId !== prev.presetId ||
        s.view !== prev.view ||
        (s.now !== prev.now && !s.playing)
      )
        schedule();
    });
    modes.subscribe(schedule);
    lessonStore.subscribe(schedule);
    compareStore.subscribe(schedule);
    subscribeExperimentLink(schedule);
    banner.subscribe((b, prev) => {
      if (prev.problem && !b.problem) schedule();
    });
    window.addEventListener('hashchange', (e) => {
      // someone pasted or edited a link into this page's address bar; the link is the
      // event's own: the address may already hold this page's next write of its own run
      openFragment(new URL(e.newURL).hash, { ask: true });
    });
  }
  return { autoplay };
}
