import type { Tracing } from './tracing.ts';

/**
 * The process's tracing: started by src/instrument.ts before anything else loads, flushed by main.ts at the
 * end of the graceful shutdown. Kept apart from tracing.ts so main.ts does not load the SDK when it is off.
 */
let current: Tracing | undefined;

export const processTracing = {
  started(tracing: Tracing): void {
    current = tracing;
  },
  /** False when the process was started without `--import ./src/instrument.ts`, or tracing is off. */
  active(): boolean {
    return current !== undefined;
  },
  async shutdown(): Promise<void> {
    await current?.shutdown();
  },
};
