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
import {
  downtimeAlgorithms,
  downtimeCdfExperiments,
  messageSeries,
  type DowntimeCdfExperiment,
} from '../../algorithms/index';

/** The downtime CDF experiments the definitions declare (Raft: Figure 16), one tab each. */
export const CDF_EXPERIMENTS: readonly DowntimeCdfExperiment[] = downtimeCdfExperiments().map(
  (x) => x.experiment,
);
/** The tabs: each declared CDF experiment (by its id), then message counts and downtime. */
export const EXPERIMENT_TABS: readonly string[] = [
  ...CDF_EXPERIMENTS.map((x) => x.id),
  'messages',
  'downtime',
];
export type ExperimentTab = string;
if (new Set(EXPERIMENT_TABS).size !== EXPERIMENT_TABS.length || EXPERIMENT_TABS.includes('tab'))
  throw new Error(`experiment tab ids clash: ${EXPERIMENT_TABS.join(', ')}`);

export function isCdfTab(tab: string): boolean {
  return CDF_EXPERIMENTS.some((x) => x.id === tab);
}

export function cdfExperiment(tab: string): DowntimeCdfExperiment {
  const x = CDF_EXPERIMENTS.find((c) => c.id === tab);
  if (!x) throw new Error(`no downtime CDF experiment "${tab}"`);
  return x;
}

const seed = z.number().int().min(0).max(0xffffffff);
const timeoutMs = z.number().int().min(1).max(10_000);

const cdfSchema = z.object({
  /** Timeout ranges [min, max] ms, one line each. */
  lines: z
    .array(z.tuple([timeoutMs, timeoutMs]).refine(([a, b]) => a <= b, 'min must not exceed max'))
    .min(1)
    .max(16),
  trials: z.number().int().min(1).max(10_000),
  seed,
});

const seriesIds = messageSeries().map((s) => s.id) as [string, ...string[]];
const messagesSchema = z.object({
  series: z.array(z.enum(seriesIds)).min(1).max(seriesIds.length),
  /** Cluster sizes n (before the crash). */
  ns: z.array(z.number().int().min(4).max(64)).min(1).max(24),
  trials: z.number().int().min(1).max(2000),
  seed,
  metric: z.enum(['all', 'election']),
  scale: z.enum(['linear', 'log']),
});

/** The algorithms the downtime experiment can compare: those that declare `heartbeatMs`. */
export const DOWNTIME_ALGORITHMS: readonly string[] = downtimeAlgorithms().map((a) => a.name);
const downtimeSchema = z.object({
  axis: z.enum(['loss', 'latency']),
  /** Loss in percent (axis loss) or mean one-way latency in ms (axis latency). */
  values: z.array(z.number().min(0).max(2000)).min(1).max(16),
  algorithms: z
    .array(z.enum(DOWNTIME_ALGORITHMS as [string, ...string[]]))
    .min(1)
    .max(DOWNTIME_ALGORITHMS.length),
  nodes: z.number().int().min(3).max(64),
  trials: z.number().int().min(1).max(5000),
  seed,
  stat: z.enum(['mean', 'p50', 'p90', 'p99']),
  scale: z.enum(['linear', 'log']),
});

/** The parameters of a downtime CDF experiment (Figure 16: `fig16` in links). */
export type CdfParams = z.infer<typeof cdfSchema>;
/** Kept for the Figure 16 tab's callers. */
export type Fig16Params = CdfParams;
export type MessagesParams = z.infer<typeof messagesSchema>;
export type DowntimeParams = z.infer<typeof downtimeSchema>;

export interface ExperimentParams {
  tab: ExperimentTab;
  /** Per declared CDF experiment id; links carry each at the top level under its id. */
  cdf: Record<string, CdfParams>;
  messages: MessagesParams;
  downtime: DowntimeParams;
}

type Range = [number, number];

/** Every distinct line of an experiment's graphs, in reading order (a line in two graphs runs once). */
export function cdfLines(x: DowntimeCdfExperiment): Range[] {
  const out: Range[] = [];
  for (const g of x.groups)
    for (const l of g.lines)
      if (!out.some(([a, b]) => a === l.range.min && b === l.range.max))
        out.push([l.range.min, l.range.max]);
  return out;
}

/** The presets of a CDF experiment's form: every graph at once, then each graph alone. */
export function cdfPresets(
  x: DowntimeCdfExperiment,
): { key: string; title: string; lines: Range[] }[] {
  return [
    ...(x.groups.length > 1 ? [{ key: 'both', title: 'Both graphs', lines: cdfLines(x) }] : []),
    ...x.groups.map((g) => ({
      key: g.key,
      title: g.preset,
      lines: g.lines.map((l) => [l.range.min, l.range.max] as Range),
    })),
  ];
}

export function defaultCdfParams(x: DowntimeCdfExperiment): CdfParams {
  return { lines: cdfLines(x), trials: 1000, seed: 1 };
}

export function defaultExperimentParams(): ExperimentParams {
  return {
    tab: EXPERIMENT_TABS[0],
    cdf: Object.fromEntries(CDF_EXPERIMENTS.map((x) => [x.id, defaultCdfParams(x)])),
    messages: {
      series: messageSeries()
        .filter((s) => !s.optional)
        .map((s) => s.id),
      ns: [4, 8, 16, 32, 48, 64],
      trials: 10,
      seed: 1,
      metric: 'all',
      scale: 'log',
    },
    downtime: {
      axis: 'loss',
      values: [0, 5, 10, 20, 30],
      algorithms: [...DOWNTIME_ALGORITHMS],
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
    if (typeof o.tab === 'string' && EXPERIMENT_TABS.includes(o.tab)) tab = o.tab;
    else problems.push(`tab: unknown experiment ${JSON.stringify(o.tab)}`);
  }
  try {
    return {
      params: {
        tab,
        cdf: Object.fromEntries(
          CDF_EXPERIMENTS.map((x) => [x.id, part(cdfSchema, o[x.id], d.cdf[x.id], x.id, problems)]),
        ),
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
  const parts: [string, unknown, unknown][] = [
    ...CDF_EXPERIMENTS.map((x): [string, unknown, unknown] => [x.id, p.cdf[x.id], d.cdf[x.id]]),
    ['messages', p.messages, d.messages],
    ['downtime', p.downtime, d.downtime],
  ];
  for (const [k, c, df] of parts) {
    const diff: Record<string, unknown> = {};
    const cur = c as Record<string, unknown>;
    const def = df as Record<string, unknown>;
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
  /** Changes the parameters of the CDF experiment of tab `id`. */
  setCdf(id: string, p: Partial<CdfParams>): void;
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
  setCdf(id, p) {
    const cdf = get().cdf;
    set({ cdf: { ...cdf, [id]: { ...cdf[id], ...p } } });
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
  return { tab: s.tab, cdf: s.cdf, messages: s.messages, downtime: s.downtime };
}
