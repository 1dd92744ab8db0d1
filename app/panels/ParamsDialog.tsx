/**
 * Edits the current algorithm's params, built from its schema in the registry (so Bully
 * and Ring get their own fields when they appear), plus the seed. Applying restarts the
 * scenario, after a confirmation when the user had already acted.
 */
import { useMemo, useState } from 'react';
import { registry } from '../../algorithms/index';
import { playground, usePlayground } from '../store/store';
import { Dialog } from './Dialog';

type Field =
  | { kind: 'number'; key: string; optional: boolean }
  | { kind: 'boolean'; key: string }
  | { kind: 'enum'; key: string; options: string[] }
  | { kind: 'range'; key: string };

interface ZodLike {
  def?: {
    type?: string;
    innerType?: ZodLike;
    entries?: Record<string, string>;
    shape?: Record<string, ZodLike>;
  };
  shape?: Record<string, ZodLike>;
  options?: string[];
}

function unwrap(t: ZodLike): [ZodLike, boolean] {
  let x = t;
  let optional = false;
  for (let i = 0; i < 6; i++) {
    const type = x.def?.type;
    if (type === 'optional' || type === 'nullable') optional = true;
    if (
      (type === 'default' || type === 'optional' || type === 'nullable' || type === 'prefault') &&
      x.def?.innerType
    )
      x = x.def.innerType;
    else break;
  }
  return [x, optional];
}

export function fieldsOf(schema: unknown): Field[] {
  const shape = (schema as ZodLike).shape;
  if (!shape) return [];
  const out: Field[] = [];
  for (const [key, raw] of Object.entries(shape)) {
    const [t, optional] = unwrap(raw);
    const type = t.def?.type;
    if (type === 'number') out.push({ kind: 'number', key, optional });
    else if (type === 'boolean') out.push({ kind: 'boolean', key });
    else if (type === 'enum')
      out.push({ kind: 'enum', key, options: t.options ?? Object.values(t.def?.entries ?? {}) });
    else if (type === 'object' && t.shape && 'min' in t.shape && 'max' in t.shape)
      out.push({ kind: 'range', key });
  }
  return out;
}

const words = (key: string) => key.replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase());

export function ParamsDialog({ onClose }: { onClose(): void }) {
  const scenario = usePlayground((s) => s.scenario);
  const entry = registry[scenario.algorithm];
  const fields = useMemo(() => fieldsOf(entry?.params), [entry]);
  const initial = useMemo(() => {
    const r = entry?.params.safeParse(scenario.params ?? {});
    return (r?.success ? r.data : { ...entry?.defaults }) as Record<string, unknown>;
  }, [entry, scenario.params]);
  const [values, setValues] = useState<Record<string, unknown>>(initial);
  const [seed, setSeed] = useState(String(scenario.seed));
  const [error, setError] = useState<string | null>(null);
  const set = (key: string, v: unknown) => setValues((old) => ({ ...old, [key]: v }));

  const apply = () => {
    const clean: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== '') clean[k] = v;
    const r = entry.params.safeParse(clean);
    if (!r.success) {
      setError(r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      return;
    }
    const s = Number(seed);
    if (!Number.isInteger(s) || s < 0 || s > 0xffffffff) {
      setError('seed: a whole number from 0 to 4294967295');
      return;
    }
    onClose();
    playground.getState().setParams(clean, s);
  };

  return (
    <Dialog
      title={`${entry?.title ?? scenario.algorithm} parameters`}
      onClose={onClose}
      testid="params-dialog"
    >
      <p className="dialog-text">{entry?.description}</p>
      <form
        className="params-form"
        onSubmit={(e) => {
          e.preventDefault();
          apply();
        }}
      >
        {fields.map((f) => {
          const v = values[f.key];
          const id = `param-${f.key}`;
          if (f.kind === 'boolean')
            return (
              <label key={f.key} className="param check">
                <input
                  id={id}
                  type="checkbox"
                  checked={Boolean(v)}
                  onChange={(e) => set(f.key, e.target.checked)}
                />
                <span>{words(f.key)}</span>
              </label>
            );
          if (f.kind === 'enum')
            return (
              <label key={f.key} className="param">
                <span>{words(f.key)}</span>
                <select value={String(v ?? '')} onChange={(e) => set(f.key, e.target.value)}>
                  {f.options.map((o) => (
                    <option key={o} value={o}>
                      {o}
                    </option>
                  ))}
                </select>
              </label>
            );
          if (f.kind === 'range') {
            const r = (v as { min: number; max: number }) ?? { min: 0, max: 0 };
            return (
              <div key={f.key} className="param">
                <span>{words(f.key)} (ms)</span>
                <span className="range-pair">
                  <input
                    type="number"
                    aria-label={`${words(f.key)} minimum, ms`}
                    value={r.min}
                    onChange={(e) => set(f.key, { ...r, min: Number(e.target.value) })}
                  />
                  –
                  <input
                    type="number"
                    aria-label={`${words(f.key)} maximum, ms`}
                    value={r.max}
                    onChange={(e) => set(f.key, { ...r, max: Number(e.target.value) })}
                  />
                </span>
              </div>
            );
          }
          return (
            <label key={f.key} className="param">
              <span>
                {words(f.key)} (ms){f.optional ? ' — empty: default' : ''}
              </span>
              <input
                type="number"
                value={v === undefined ? '' : String(v)}
                onChange={(e) =>
                  set(f.key, e.target.value === '' ? undefined : Number(e.target.value))
                }
              />
            </label>
          );
        })}
        <label className="param">
          <span>Random seed</span>
          <input
            type="number"
            value={seed}
            data-testid="seed-input"
            onChange={(e) => setSeed(e.target.value)}
          />
        </label>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-buttons">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn primary" data-testid="params-apply">
            Apply and restart
          </button>
        </div>
      </form>
    </Dialog>
  );
}
