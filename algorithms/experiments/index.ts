/** The experiments' public API: what the CLI, the app's panels and its workers run. */
export {
  FIG16_BOTTOM,
  FIG16_NETWORK,
  FIG16_TOP,
  PAPER_POINTS,
  cdf,
  runLineChunk,
  type Fig16Line,
} from './figure16';
export { horizonMs, summarize, type ElectionTimeResult } from './electionTime';
export {
  DOWNTIME_HORIZON_MS,
  downtimeChunk,
  summarizeDowntime,
  sweepPoint,
  type DowntimeAlgorithm,
  type DowntimeOptions,
  type DowntimeResult,
} from './downtime';
export {
  messagesTrial,
  messagesTrialSeeds,
  validateMessagesOptions,
  type MessagesOptions,
} from './messages';
export { MESSAGE_SERIES, changRobertsBounds, type MessageMetric } from './messagesTheory';
