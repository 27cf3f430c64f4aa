/**
 * The commit the last successful Deploy run deployed: the base a new plan compares against. A run
 * started by workflow_run reports the tip of main as its head_sha, not the commit it deployed, so
 * the workflow names each run after that commit (`run-name: Deploy <sha>`) and this reads it back.
 */
export interface WorkflowRun {
  readonly display_title?: string;
  readonly conclusion?: string | null;
}

const deployTitle = /^Deploy ([0-9a-f]{40})$/;

/** The commits successful runs deployed, newest first. */
export function deployedCommits(runs: readonly WorkflowRun[]): string[] {
  return runs.flatMap((run) => {
    const commit =
      run.conclusion === 'success' ? deployTitle.exec(run.display_title ?? '')?.[1] : undefined;
    return commit ? [commit] : [];
  });
}

/** Successful runs of the deploy workflow, newest first (GitHub REST API, "List workflow runs"). */
export async function successfulDeployRuns(env: NodeJS.ProcessEnv): Promise<WorkflowRun[]> {
  const api = env['GITHUB_API_URL'] ?? 'https://api.github.com';
  const repository = env['GITHUB_REPOSITORY'];
  const token = env['GITHUB_TOKEN'];
  if (!repository || !token)
    throw new Error('set GITHUB_REPOSITORY and GITHUB_TOKEN (or pass --base)');
  const response = await fetch(
    `${api}/repos/${repository}/actions/workflows/deploy.yml/runs?status=success&per_page=50`,
    {
      headers: {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${token}`,
        'x-github-api-version': '2022-11-28',
      },
    },
  );
  if (!response.ok) throw new Error(`GitHub API ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { workflow_runs: WorkflowRun[] }).workflow_runs;
}
