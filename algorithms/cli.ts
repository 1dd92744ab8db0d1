/**
 * `npm run sim -- <command>`: headless runs and experiments.
 *
 *   run <scenario.json | preset> [--until ms] [--json]
 *   experiment election-time --algorithm raft --nodes N --election-timeout A-B --latency A-B
 *                            [--heartbeat ms] --trials T --seed S [--json]
 *
 * Bad input prints one readable line on stderr and exits with code 2.
 */
import { readFileSync } from 'node:fs';
import { createSimulation, ScenarioError } from './index';
import { findPreset, presetNames } from './scenario/presets';
import { runElectionTimeExperiment } from './experiments/electionTime';
import { ms } from './sim/time';
import {
  runMessagesExperiment,
  validateMessagesOptions,
  type Initiators,
  type MessagesOptions,
} from './experiments/messages';

class UsageError extends Error {}

const USAGE = `usage:
  npm run sim -- run <scenario.json | preset> [--until ms] [--json]
  npm run sim -- experiment election-time --algorithm raft --nodes N --election-timeout A-B
                 --latency A-B [--heartbeat ms] --trials T --seed S [--json]
  npm run sim -- experiment messages --algorithm bully|ring [--variant chang-roberts|collect-ids]
                 --nodes N --initiators lowest|highest|random|all --trials T --seed S [--json]
presets: ${presetNames().join(', ')}`;

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

function cmdElectionTime(args: string[]) {
  const { positional, flags } = parseFlags(args, {
    algorithm: 'string',
    nodes: 'int',
    'election-timeout': 'range',
    latency: 'range',
    heartbeat: 'number',
    trials: 'int',
    seed: 'int',
    'pre-vote': 'bool',
    'check-quorum': 'bool',
    json: 'bool',
  });
  if (positional.length > 0) throw new UsageError(`unexpected argument "${positional[0]}"`);
  const algorithm = (flags.algorithm as string | undefined) ?? 'raft';
  if (algorithm !== 'raft')
    throw new UsageError(`election-time supports --algorithm raft, got "${algorithm}"`);
  const nodes = need<number>(flags, 'nodes');
  inRange('nodes', nodes, 2, 64);
  const et = need<{ min: number; max: number }>(flags, 'election-timeout');
  inRange('election-timeout', et.min, 1, 60_000);
  inRange('election-timeout', et.max, 1, 60_000);
  const latency = need<{ min: number; max: number }>(flags, 'latency');
  inRange('latency', latency.max, 0, 60_000);
  const trials = need<number>(flags, 'trials');
  inRange('trials', trials, 1, 1_000_000);
  const seed = need<number>(flags, 'seed');
  inRange('seed', seed, 0, 0xffffffff);
  const heartbeat = flags.heartbeat as number | undefined;
  if (heartbeat !== undefined) inRange('heartbeat', heartbeat, 1, 60_000);
  const r = runElectionTimeExperiment({
    nodes,
    electionTimeout: et,
    latency,
    heartbeat,
    trials,
    seed,
    preVote: flags['pre-vote'] === true,
    checkQuorum: flags['check-quorum'] === true,
  });
  if (flags.json) return print(r);
  console.log(`${r.trials} trials: downtime after a leader crash (ms)`);
  console.log(`  p50 ${r.p50}  p90 ${r.p90}  p99 ${r.p99}  max ${r.max}  mean ${r.mean}`);
  console.log(
    `  split votes: ${r.splitVotes}${r.unresolved ? `, unresolved: ${r.unresolved}` : ''}`,
  );
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
    algorithm: need<string>(flags, 'algorithm') as MessagesOptions['algorithm'],
    variant: flags.variant as MessagesOptions['variant'],
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
  const what = opts.algorithm === 'ring' ? `ring (${opts.variant ?? 'chang-roberts'})` : 'bully';
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
      if (kind === 'election-time') cmdElectionTime(more);
      else if (kind === 'messages') cmdMessages(more);
      else throw new UsageError(`unknown experiment "${kind ?? ''}" (election-time, messages)`);
    } else if (cmd === undefined || cmd === '--help' || cmd === 'help') {
      console.log(USAGE);
    } else throw new UsageError(`unknown command "${cmd}"`);
    return 0;
  } catch (e) {
    if (e instanceof UsageError || e instanceof ScenarioError) {
      const prefix = e instanceof ScenarioError ? 'invalid scenario: ' : '';
      process.stderr.write(
        `error: ${prefix}${e.message}\n${e instanceof UsageError ? `${USAGE}\n` : ''}`,
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
