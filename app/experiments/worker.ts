/**
 * A trial worker: runs chunks of experiment trials off the main thread with the same code
 * as the CLI and the tests (algorithms/experiments). Each call gets the whole experiment's
 * options plus a trial range [from, to); trial seeds come from the experiment seed by
 * index, so any split across any number of workers gives the same numbers.
 */
import { expose } from 'comlink';
import { runLineChunk, type Fig16Line } from '../../algorithms/index';
import {
  messagesTrial,
  messagesTrialSeeds,
  validateMessagesOptions,
  type MessagesOptions,
} from '../../algorithms/index';
import { downtimeChunk, type DowntimeOptions } from '../../algorithms/index';

export interface Fig16TrialOut {
  downtime: number;
  terms: number;
  unresolved: boolean;
}

export interface MessagesTrialOut {
  total: number;
  election: number;
}

export interface DowntimeTrialOut {
  downtime: number;
  unresolved: boolean;
  storm: boolean;
}

const api = {
  fig16(line: Fig16Line, trials: number, seed: number, from: number, to: number): Fig16TrialOut[] {
    return runLineChunk(line, trials, seed, from, to).map((t) => ({
      downtime: t.downtime,
      terms: t.terms,
      unresolved: t.unresolved,
    }));
  },
  messages(opts: MessagesOptions, from: number, to: number): MessagesTrialOut[] {
    validateMessagesOptions(opts);
    return messagesTrialSeeds(opts.seed, opts.trials)
      .slice(from, to)
      .map((s) => {
        const t = messagesTrial(opts, s);
        return { total: t.total, election: t.byType.ELECTION ?? 0 };
      });
  },
  downtime(opts: DowntimeOptions, from: number, to: number): DowntimeTrialOut[] {
    return downtimeChunk(opts, from, to).map((t) => ({
      downtime: t.downtime,
      unresolved: t.unresolved,
      storm: !!t.storm,
    }));
  },
  /** Answers at once: the pool waits for it to know the worker has loaded. */
  ready(): boolean {
    return true;
  },
};

export type TrialWorkerApi = typeof api;

expose(api);
