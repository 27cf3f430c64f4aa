import { orderService } from '@mallhive/infra-k8s';
import { describe, expect, it } from 'vitest';
import { parseDockerfile, type DockerStage } from '../testing/dockerfile.ts';
import { repoFile } from '../testing/repo-file.ts';

const stages = parseDockerfile(repoFile('apps/order-service/Dockerfile'));
const runtime = stages.at(-1)!;
const argsOf = (stage: DockerStage, keyword: string) =>
  stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);

describe('order service Dockerfile', () => {
  it('builds in separate stages and ships only the last one', () => {
    expect(stages.map((stage) => stage.name)).toEqual(['build', 'prod-deps', 'runtime']);
  });

  it('runs on a Node 24 slim image pinned to an exact version, in every stage', () => {
    for (const stage of stages) expect(stage.image).toMatch(/^node:24\.\d+\.\d+-[a-z]+-slim$/);
  });

  it('compiles the service with a full install in the build stage', () => {
    const run = argsOf(stages[0]!, 'RUN').join(' ');
    expect(run).toMatch(/npm ci\b/);
    expect(run).toMatch(
      /tsc --build apps\/order-service\/tsconfig\.app\.json|nx build order-service/,
    );
  });

  it('installs production dependencies only for the runtime image', () => {
    const run = argsOf(stages[1]!, 'RUN').join(' ');
    expect(run).toMatch(/npm ci --omit=dev --workspace apps\/order-service/);
    expect(argsOf(runtime, 'COPY').filter((args) => args.startsWith('--from=build'))).toEqual([
      '--from=build /app/apps/order-service/dist ./dist',
    ]);
  });

  it('contains the runtime files outside dist: migrations, RDS CA bundle, package.json', () => {
    const copies = argsOf(runtime, 'COPY').join('\n');
    for (const path of ['migrations', 'certs', 'package.json']) {
      expect(copies).toContain(`apps/order-service/${path}`);
    }
  });

  // The chart's securityContext uses the same contract values (infra/k8s order-service-chart.test.ts).
  it('runs as the non-root UID/GID the pod securityContext expects', () => {
    expect(argsOf(runtime, 'USER')).toEqual([`${orderService.uid}:${orderService.gid}`]);
    expect(orderService.uid).toBe(10001);
    expect(argsOf(runtime, 'RUN').join(' ')).toMatch(/useradd .*--uid 10001/);
  });

  it('starts node directly (so it receives SIGTERM) with dist/main.js in /app/apps/order-service, tracing preloaded', () => {
    expect(argsOf(runtime, 'WORKDIR')).toEqual(['/app/apps/order-service']);
    // instrument.js must run before main.js loads pg and http (it does nothing with tracing off).
    expect(argsOf(runtime, 'CMD')).toEqual([
      '["node", "--import", "./dist/instrument.js", "dist/main.js"]',
    ]);
    // The API and, apart from it, /metrics.
    expect(argsOf(runtime, 'EXPOSE').join(' ').split(/\s+/)).toEqual([
      String(orderService.port),
      String(orderService.metricsPort),
    ]);
  });

  it('bakes in no secrets', () => {
    const text = repoFile('apps/order-service/Dockerfile');
    expect(text).not.toMatch(/^\s*(ARG|ENV)\s+\S*(SECRET|PASSWORD|TOKEN|KEY)/im);
    expect(text).not.toMatch(/AKIA[0-9A-Z]{16}/);
  });

  it('keeps local builds, dependencies and env files out of the build context', () => {
    const ignored = repoFile('.dockerignore').split('\n');
    for (const pattern of ['**/node_modules', '**/dist', '**/.env', '.git']) {
      expect(ignored).toContain(pattern);
    }
  });
});
