export { EmissionEngine, type EmissionEngineOptions, type FinalizeResult } from './engine.ts';
export { FocusScheduler, SchedulerClosedError, LANES, type Lane, type SchedulerOptions, type SchedulerStats } from './scheduler.ts';
export { XmlArchiver, archivePath } from './archive.ts';
export { toEmissionView, cancelDeadlineOf, CANCEL_WINDOW_MS } from './views.ts';
export {
  EmissionError,
  type EmissionErrorCode,
  type CatalogPort,
  type Clock,
  type ContingencyPort,
  type CrashPoint,
  type DivertReason,
  type EngineSettings,
} from './types.ts';
