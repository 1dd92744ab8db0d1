/**
 * `npm run sim -- <command>`: headless runs and experiments.
 *
 *   run <scenario.json | preset> [--until ms] [--json]
 *   experiment messages --algorithm A [--variant V] --nodes N --initiators I --trials T --seed S [--json]
 *   experiment <command of an algorithm> ... [--json]   (Raft: election-time)
 *
 * The experiment commands, the algorithms they accept and their variants come from the
 * algorithm definitions. Bad input prints one readable line on stderr and exits with code 2.
 */
import { readFileSync } from 'node:fs';
import { createSimulation, ScenarioError } from './index';
import { findPreset, presetNames } from './scenario/presets';
import { algorithms } from './registry';
import { ms } from './sim/time';
import {
  messageCostAlgorithms,
  orList,
  runMessagesExperiment,
  validateMessagesOptions,
  type MessagesOptions,
} from './experiments/messages';
import { INITIATORS, type ExperimentCommand, type Initiators } from './experiments/types';

class UsageError extends Error {}

/** The experiment commands the algorithms provide, with the algorithm that provides each. */
function algorithmCommands(): { algorithm: string; command: ExperimentCommand }[] {
  return algorithms
    .filter((a) => !a.testOnly)
    .flatMap((a) =>
      (a.experiments?.commands ?? []).map((command) => ({ algorithm: a.name, command })),
    );
}

function usage(): string {
  const counted = messageCostAlgorithms();
  const variants = counted.flatMap((a) => a.experiments.messageCost.variants ?? []);
  const own = algorithmCommands().map(
    ({ algorithm, command }) =>
      `  npm run sim -- experiment ${command.name} [--algorithm ${algorithm}] ${command.usage} [--json]`,
  );
  return `usage:
  npm run sim -- run <scenario.json | preset> [--until ms] [--json]
${own.join('\n')}
  npm run sim -- experiment messages --algorithm ${counted.map((a) => a.name).join('|')}${variants.length ? ` [--variant ${variants.map((v) => v.id).join('|')}]` : ''}
                 --nodes N --initiators ${INITIATORS.join('|')} --trials T --seed S [--json]
presets: ${presetNames().join(', ')}`;
}

type FlagKind = 'int' | 'number' | 'range' | 'string' | 'bool';

function parseFlags(args: string[], spec: Record<string, FlagKind>) {
  const positional: string[] = [];
  const flags: Record<string, unknown> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const [name, inline] = a.slice(2).split('=', 2);
    const kind = spec[name];
    if (!kind) throw new UsageError(`unknown flag --${name}`);
    if (kind === 'bool') {
      flags[name] = true;
      continue;
    }
    const raw = inline ?? args[++i];
    if (raw === undefined || raw.startsWith('--')) throw new UsageError(`--${name} needs a value`);
    flags[name] = parseValue(name, kind, raw);
  }
  return { positional, flags };
}

function parseValue(name: string, kind: FlagKind, raw: string): unknown {
  const num = (s: string) => {
    if (!/^\d+(\.\d+)?$/.test(s))
      throw new UsageError(`--${name}: "${raw}" is not a non-negative number`);
    return Number(s);
  };
  switch (kind) {
    case 'int': {
      if (!/^\d+$/.test(raw))
        throw new UsageError(`--${name}: "${raw}" is not a non-negative integer`);
      return Number(raw);
    }
    case 'number':
      return num(raw);
    case 'range': {
      const m = /^([^-]+)-([^-]+)$/.exec(raw);
      if (!m) throw new UsageError(`--${name}: "${raw}" is not a range like 150-300`);
      const [min, max] = [num(m[1]), num(m[2])];
      if (min > max) throw new UsageError(`--${name}: the range ${raw} has min above max`);
      return { min, max };
    }
    default:
      return raw;
  }
}

function need<T>(flags: Record<string, unknown>, name: string): T {
  if (flags[name] === undefined) throw new UsageError(`missing --${name}`);
  return flags[name] as T;
}

function inRange(name: string, v: number, min: number, max: number) {
  if (v < min || v > max)
    throw new UsageError(`--${name} must be between ${min} and ${max}, got ${v}`);
}

function loadScenario(ref: string): unknown {
  const preset = findPreset(ref);
  if (preset) return preset.scenario;
  if (!ref.endsWith('.json') && !ref.includes('/'))
    throw new UsageError(`unknown preset "${ref}" (presets: ${presetNames().join(', ')})`);
  let text: string;
  try {
    text = readFileSync(ref, 'utf8');
  } catch {
    throw new UsageError(`cannot read scenario file ${ref}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${ref} is not valid JSON: ${(e as Error).message}`);
  }
}

function cmdRun(args: string[]) {
  const { positional, flags } = parseFlags(args, { until: 'number', json: 'bool' });
  if (positional.length !== 1)
    throw new UsageError('run needs exactly one scenario file or preset name');
  const sim = createSimulation(loadScenario(positional[0]), { keepTrace: false });
  const lastAction = sim.scenario.actions.reduce((m, a) => Math.max(m, a.at), 0);
  const until = (flags.until as number | undefined) ?? Math.max(10_000, lastAction + 5000);
  inRange('until', until, 0, 86_400_000);
  sim.runUntilTime(ms(until));
  const s = sim.summary();
  if (flags.json) return print(s);
  const dropped =
    Object.entries(s.messages.dropped)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || 'none';
  console.log(
    `${s.algorithm}, ${s.nodes} nodes, seed ${s.seed}: ${s.timeMs} ms simulated, ${s.events} events`,
  );
  console.log(
    `messages: ${s.messages.sent} sent, ${s.messages.delivered} delivered, dropped: ${dropped}`,
  );
  console.log('leaders:');
  for (const l of s.leaders)
    console.log(
      `  ${String(l.timeMs).padStart(10)} ms  ${l.node === null ? 'none' : `node ${l.node}`}${l.term !== undefined && l.node !== null ? `, term ${l.term}` : ''}`,
    );
  console.log(s.violations.length === 0 ? 'violations: none' : 'violations:');
  for (const v of s.violations)
    console.log(`  ${v.timeMs} ms ${v.severity} ${v.invariant}: ${v.detail}`);
  for (const w of s.warnings) console.log(`warning: ${w}`);
  console.log(`traceHash: ${s.traceHash}`);
}

/** An experiment command that an algorithm provides (Raft: election-time). */
function cmdOwn(name: string, args: string[]): boolean {
  const providers = algorithmCommands().filter((c) => c.command.name === name);
  if (providers.length === 0) return false;
  const spec = providers[0].command.flags;
  const { positional, flags } = parseFlags(args, { ...spec, algorithm: 'string', json: 'bool' });
  if (positional.length > 0) throw new UsageError(`unexpected argument "${positional[0]}"`);
  const algorithm = (flags.algorithm as string | undefined) ?? providers[0].algorithm;
  const provider = providers.find((p) => p.algorithm === algorithm);
  if (!provider)
    throw new UsageError(
      `${name} supports --algorithm ${orList(providers.map((p) => p.algorithm))}, got "${algorithm}"`,
    );
  let out: { json: unknown; lines: string[] };
  try {
    out = provider.command.run(flags);
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(e.message);
    throw e;
  }
  if (flags.json) print(out.json);
  else for (const l of out.lines) console.log(l);
  return true;
}

function cmdMessages(args: string[]) {
  const { positional, flags } = parseFlags(args, {
    algorithm: 'string',
    variant: 'string',
    nodes: 'int',
    initiators: 'string',
    trials: 'int',
    seed: 'int',
    latency: 'number',
    json: 'bool',
  });
  if (positional.length > 0) throw new UsageError(`unexpected argument "${positional[0]}"`);
  const opts: MessagesOptions = {
    algorithm: need<string>(flags, 'algorithm'),
    variant: flags.variant as string | undefined,
    nodes: need<number>(flags, 'nodes'),
    initiators: ((flags.initiators as string | undefined) ?? 'all') as Initiators,
    trials: need<number>(flags, 'trials'),
    seed: need<number>(flags, 'seed'),
    latency: flags.latency as number | undefined,
  };
  try {
    validateMessagesOptions(opts);
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/^(\w+)/, '--$1'));
  }
  const r = runMessagesExperiment(opts);
  if (flags.json) return print(r);
  const variants = messageCostAlgorithms().find((a) => a.name === opts.algorithm)?.experiments
    .messageCost.variants;
  const what = variants ? `${opts.algorithm} (${opts.variant ?? variants[0].id})` : opts.algorithm;
  console.log(`${what}, ${opts.nodes} nodes, initiators: ${opts.initiators}, ${r.trials} trials`);
  console.log(`  messages per election: mean ${r.mean}  p50 ${r.p50}  min ${r.min}  max ${r.max}`);
  for (const [type, m] of Object.entries(r.byType)) console.log(`  ${type.padEnd(12)} ${m}`);
}

function print(obj: unknown) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

export async function main(argv: string[]): Promise<number> {
  try {
    const [cmd, ...rest] = argv;
    if (cmd === 'run') cmdRun(rest);
    else if (cmd === 'experiment') {
      const [kind, ...more] = rest;
      if (kind === 'messages') cmdMessages(more);
      else if (kind === undefined || !cmdOwn(kind, more))
        throw new UsageError(
          `unknown experiment "${kind ?? ''}" (${[...algorithmCommands().map((c) => c.command.name), 'messages'].join(', ')})`,
        );
    } else if (cmd === undefined || cmd === '--help' || cmd === 'help') {
      console.log(usage());
    } else throw new UsageError(`unknown command "${cmd}"`);
    return 0;
  } catch (e) {
    if (e instanceof UsageError || e instanceof ScenarioError) {
      const prefix = e instanceof ScenarioError ? 'invalid scenario: ' : '';
      process.stderr.write(
        `error: ${prefix}${e.message}\n${e instanceof UsageError ? `${usage()}\n` : ''}`,
      );
      return 2;
    }
    process.stderr.write(`error: ${(e as Error).message}\n`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
