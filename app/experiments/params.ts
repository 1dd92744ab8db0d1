/**
 * The experiments' parameters as one small serialisable object, in their own store: what
 * a share link carries (see link.ts), what the forms edit, and what a run reads. It is in
 * the initial bundle (it is small); the panel, the charts and the workers load lazily.
 *
 * `decodeExperimentParams` never throws: a bad or partial object falls back field by field
 * to the defaults and says what it dropped.
 */
import { z } from 'zod';
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { FIG16_BOTTOM, FIG16_TOP } from '../../algorithms/index';
import { MESSAGE_SERIES } from '../../algorithms/index';

export const EXPERIMENT_TABS = ['fig16', 'messages', 'downtime'] as const;
export type ExperimentTab = (typeof EXPERIMENT_TABS)[number];

const seed = z.number().int().min(0).max(0xffffffff);
const timeoutMs = z.number().int().min(1).max(10_000);

const fig16Schema = z.object({
  /** Election timeout ranges [min, max] ms, one line each. */
  lines: z
    .array(z.tuple([timeoutMs, timeoutMs]).refine(([a, b]) => a <= b, 'min must not exceed max'))
    .min(1)
    .max(16),
  trials: z.number().int().min(1).max(10_000),
  seed,
});

const seriesIds = MESSAGE_SERIES.map((s) => s.id) as [string, ...string[]];
const messagesSchema = z.object({
  series: z.array(z.enum(seriesIds)).min(1).max(seriesIds.length),
  /** Cluster sizes n (before the crash). */
  ns: z.array(z.number().int().min(4).max(64)).min(1).max(24),
  trials: z.number().int().min(1).max(2000),
  seed,
  metric: z.enum(['all', 'election']),
  scale: z.enum(['linear', 'log']),
});

const downtimeSchema = z.object({
  axis: z.enum(['loss', 'latency']),
  /** Loss in percent (axis loss) or mean one-way latency in ms (axis latency). */
  values: z.array(z.number().min(0).max(2000)).min(1).max(16),
  algorithms: z
    .array(z.enum(['raft', 'bully', 'ring']))
    .min(1)
    .max(3),
  nodes: z.number().int().min(3).max(64),
  trials: z.number().int().min(1).max(5000),
  seed,
  stat: z.enum(['mean', 'p50', 'p90', 'p99']),
  scale: z.enum(['linear', 'log']),
});

export type Fig16Params = z.infer<typeof fig16Schema>;
export type MessagesParams = z.infer<typeof messagesSchema>;
export type DowntimeParams = z.infer<typeof downtimeSchema>;

export interface ExperimentParams {
  tab: ExperimentTab;
  fig16: Fig16Params;
  messages: MessagesParams;
  downtime: DowntimeParams;
}

const ranges = (ls: { electionTimeout: { min: number; max: number } }[]) =>
  ls.map((l) => [l.electionTimeout.min, l.electionTimeout.max] as [number, number]);

/** Figure 16's lines, top graph then bottom (150-300 is in both: once here). */
export const FIG16_ALL: [number, number][] = [
  ...ranges(FIG16_TOP),
  ...ranges(FIG16_BOTTOM).filter(([a, b]) => !FIG16_TOP.some((t) => t.label === `${a}-${b} ms`)),
];
export const FIG16_PRESETS = {
  both: { title: 'Both graphs', lines: FIG16_ALL },
  top: { title: 'Top: randomness', lines: ranges(FIG16_TOP) },
  bottom: { title: 'Bottom: timeouts', lines: ranges(FIG16_BOTTOM) },
} as const;
export type Fig16Preset = keyof typeof FIG16_PRESETS;

export function defaultExperimentParams(): ExperimentParams {
  return {
    tab: 'fig16',
    fig16: { lines: FIG16_ALL.map((r) => [...r] as [number, number]), trials: 1000, seed: 1 },
    messages: {
      series: ['bully-lowest', 'bully-random', 'bully-highest', 'cr-all', 'cr-one'],
      ns: [4, 8, 16, 32, 48, 64],
      trials: 10,
      seed: 1,
      metric: 'all',
      scale: 'log',
    },
    downtime: {
      axis: 'loss',
      values: [0, 5, 10, 20, 30],
      algorithms: ['raft', 'bully', 'ring'],
      nodes: 5,
      trials: 200,
      seed: 1,
      stat: 'p50',
      scale: 'linear',
    },
  };
}

/** Default sweep values for each axis (loss in %, latency in ms). */
export const DOWNTIME_AXIS_DEFAULTS = { loss: [0, 5, 10, 20, 30], latency: [5, 10, 20, 30, 40] };

export type Decoded = { params: ExperimentParams; problems: string[] };

function part<T>(
  schema: z.ZodType<T>,
  value: unknown,
  fallback: T,
  name: string,
  out: string[],
): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'object' || value === null) {
    out.push(`${name}: not an object`);
    return fallback;
  }
  // field by field, so one bad field does not throw the others away
  const merged: Record<string, unknown> = { ...(fallback as Record<string, unknown>) };
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (!(k in merged)) continue;
    const trial = { ...merged, [k]: v };
    const r = schema.safeParse(trial);
    if (r.success) merged[k] = v;
    else out.push(`${name}.${k}: ${r.error.issues[0]?.message ?? 'invalid'}`);
  }
  return schema.parse(merged);
}

/** Reads experiment params from untrusted data (a link). Never throws. */
export function decodeExperimentParams(raw: unknown): Decoded {
  const d = defaultExperimentParams();
  const problems: string[] = [];
  if (typeof raw !== 'object' || raw === null) return { params: d, problems: ['not an object'] };
  const o = raw as Record<string, unknown>;
  let tab = d.tab;
  if (o.tab !== undefined) {
    if (EXPERIMENT_TABS.includes(o.tab as ExperimentTab)) tab = o.tab as ExperimentTab;
    else problems.push(`tab: unknown experiment ${JSON.stringify(o.tab)}`);
  }
  try {
    return {
      params: {
        tab,
        fig16: part(fig16Schema, o.fig16, d.fig16, 'fig16', problems),
        messages: part(messagesSchema, o.messages, d.messages, 'messages', problems),
        downtime: part(downtimeSchema, o.downtime, d.downtime, 'downtime', problems),
      },
      problems,
    };
  } catch (e) {
    return { params: d, problems: [...problems, String(e)] };
  }
}

/** Only what differs from the defaults (short links); the tab always. */
export function compactExperimentParams(p: ExperimentParams): Record<string, unknown> {
  const d = defaultExperimentParams();
  const out: Record<string, unknown> = { tab: p.tab };
  for (const k of ['fig16', 'messages', 'downtime'] as const) {
    const diff: Record<string, unknown> = {};
    const cur = p[k] as unknown as Record<string, unknown>;
    const def = d[k] as unknown as Record<string, unknown>;
    for (const f of Object.keys(cur))
      if (JSON.stringify(cur[f]) !== JSON.stringify(def[f])) diff[f] = cur[f];
    if (Object.keys(diff).length > 0) out[k] = diff;
  }
  return out;
}

// ---- the store ----------------------------------------------------------------------

export interface ExperimentState extends ExperimentParams {
  /** The panel is open (a link to an experiment opens it). */
  open: boolean;
  /** Share of the running experiment's trials done, 0..1; null when nothing runs. */
  progress: number | null;
  setOpen(open: boolean): void;
  setProgress(progress: number | null): void;
  setTab(tab: ExperimentTab): void;
  setFig16(p: Partial<Fig16Params>): void;
  setMessages(p: Partial<MessagesParams>): void;
  setDowntime(p: Partial<DowntimeParams>): void;
  /** Replaces every parameter (a link being opened). */
  setParams(p: ExperimentParams, open?: boolean): void;
}

export const experiments = createStore<ExperimentState>()((set, get) => ({
  ...defaultExperimentParams(),
  open: false,
  progress: null,
  setOpen(open) {
    if (get().open !== open) set({ open });
  },
  setProgress(progress) {
    if (get().progress !== progress) set({ progress });
  },
  setTab(tab) {
    set({ tab });
  },
  setFig16(p) {
    set({ fig16: { ...get().fig16, ...p } });
  },
  setMessages(p) {
    set({ messages: { ...get().messages, ...p } });
  },
  setDowntime(p) {
    set({ downtime: { ...get().downtime, ...p } });
  },
  setParams(p, open) {
    set({ ...p, ...(open === undefined ? {} : { open }) });
  },
}));

export function useExperiments<T>(selector: (s: ExperimentState) => T): T {
  return useStore(experiments, selector);
}

/** The serialisable parameters alone. */
export function experimentParams(s: ExperimentParams = experiments.getState()): ExperimentParams {
  return { tab: s.tab, fig16: s.fig16, messages: s.messages, downtime: s.downtime };
}
