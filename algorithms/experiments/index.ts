/**
 * The experiments' public API: what the CLI, the app's panels and its workers run. The
 * algorithms take part through their definitions' `experiments` and `heartbeatMs`.
 */
export type * from './types';
export { INITIATORS } from './types';
export {
  DOWNTIME_HORIZON_MS,
  downtimeAlgorithms,
  downtimeChunk,
  downtimeLabel,
  summarizeDowntime,
  sweepPoint,
  type DowntimeOptions,
  type DowntimeResult,
} from './downtime';
export {
  messageCostAlgorithms,
  messagesChunk,
  messagesTrial,
  messagesTrialSeeds,
  validateMessagesOptions,
  type MessagesOptions,
} from './messages';
export {
  messageBands,
  messageNotes,
  messageSeries,
  metricOf,
  seriesById,
  type MessageSeries,
} from './messagesTheory';
export { downtimeCdfExperiments, downtimeCdfOf, cdf, summarizeCdf, type CdfSummary } from './cdf';
