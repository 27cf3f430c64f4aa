import { readFileSync } from 'node:fs';
import type { RolloutObservation } from '../rollout/rollout-observation.ts';

export const scenarios = ['success', 'crash-loop', 'image-pull-error', 'timeout'] as const;
export type Scenario = (typeof scenarios)[number];

export interface RecordedRollout extends RolloutObservation {
  readonly scenario: string;
  readonly expectedImage: string;
}

/** One recorded set of API answers (fixtures/<scenario>.json). */
export function recorded(scenario: Scenario): RecordedRollout {
  return JSON.parse(
    readFileSync(new URL(`../rollout/fixtures/${scenario}.json`, import.meta.url), 'utf8'),
  ) as RecordedRollout;
}
