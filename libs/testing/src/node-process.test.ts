import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runUntilExit, startListening } from './node-process.ts';

let folder: string;
const script = async (name: string, source: string) => {
  const path = join(folder, name);
  await writeFile(path, source);
  return { name, script: path, cwd: folder };
};

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'node-process-'));
});
afterAll(() => rm(folder, { recursive: true, force: true }));

describe('a script run as a process', () => {
  it('sees only the variables it is given (and PATH), not the test run’s own', async () => {
    const run = await runUntilExit({
      ...(await script('env.mjs', 'console.log(JSON.stringify(Object.keys(process.env).sort()))')),
      env: { GIVEN: '1' },
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(['GIVEN', 'PATH']);
  });

  it('is ready once its ready path answers 200, and ends on SIGTERM', async () => {
    const server = await startListening({
      ...(await script(
        'server.mjs',
        `import { createServer } from 'node:http';
         const server = createServer((request, response) => response.end(request.url));
         server.listen(Number(process.env.PORT), '127.0.0.1');
         process.once('SIGTERM', () => server.close(() => process.exit(0)));`,
      )),
      env: {},
      readyPath: '/ready',
    });
    expect(await (await fetch(`${server.baseUrl}/hello`)).text()).toBe('/hello');
    expect(await server.stop()).toEqual({ code: 0, signal: null });
  });

  it('fails with what the process wrote when it ends before it is ready', async () => {
    const starting = startListening({
      ...(await script('broken.mjs', 'console.error("no database"); process.exit(3)')),
      env: {},
      readyPath: '/ready',
    });
    await expect(starting).rejects.toThrow(
      /broken.mjs exited \(3\) before it was ready:\nno database/,
    );
  });
});
