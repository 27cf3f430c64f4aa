import { parse } from 'yaml';
import { repoFile } from './repo-file.ts';

/** A GitHub Actions workflow as parsed YAML: the fields the specs read. */
export interface Step {
  readonly id?: string;
  readonly name?: string;
  readonly if?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, string | number>;
  readonly env?: Record<string, string>;
}

export interface Job {
  readonly 'runs-on': string | string[];
  readonly if?: string;
  readonly needs?: string | string[];
  readonly environment?: string;
  readonly concurrency?: unknown;
  readonly permissions?: Record<string, string>;
  readonly outputs?: Record<string, string>;
  readonly services?: Record<
    string,
    { image: string; ports?: string[]; env?: Record<string, string> }
  >;
  readonly env?: Record<string, string>;
  readonly steps: Step[];
}

export interface Workflow {
  readonly name: string;
  readonly 'run-name'?: string;
  readonly on: Record<string, unknown>;
  readonly permissions: Record<string, string>;
  readonly env?: Record<string, string>;
  readonly concurrency?: unknown;
  readonly jobs: Record<string, Job>;
}

export const workflow = (file: string) => parse(repoFile(`.github/workflows/${file}`)) as Workflow;

export function job(workflow: Workflow, name: string): Job {
  const found = workflow.jobs[name];
  if (!found) throw new Error(`no job ${name}`);
  return found;
}

export const steps = (job: Job) => job.steps;
export const runs = (job: Job) => job.steps.flatMap((s) => (s.run ? [s.run.trim()] : []));
export const usesOf = (job: Job, action: string) =>
  job.steps.find((s) => s.uses?.startsWith(`${action}@`));

/** Position of the first step using `uses` (an action) or whose `run` contains `run`; -1 if none. */
export function stepIndex(job: Job, what: { uses?: string; run?: string }): number {
  return job.steps.findIndex((s) =>
    what.uses
      ? s.uses?.startsWith(`${what.uses}@`)
      : s.run?.replace(/\s+/g, ' ').includes(what.run ?? ''),
  );
}
