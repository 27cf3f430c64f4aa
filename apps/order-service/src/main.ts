/**
 * `node src/main.ts`: turns on Node's module compile cache, then runs the service (run-service.ts).
 *
 * The cache keeps each module's type-stripped source and V8 code on disk (os.tmpdir()/node-compile-cache,
 * or NODE_COMPILE_CACHE), so a restart with unchanged files skips most of the parsing that dominated
 * start-up (docs/performance.md, "Start-up"). It has to be on before the service's modules are loaded,
 * and static imports would load them all before this line runs: hence the dynamic import. Not in
 * production: a pod starts with an empty /tmp, and filling the cache makes that one start slower.
 */
import { enableCompileCache } from 'node:module';

if (process.env.NODE_ENV !== 'production') enableCompileCache();
await import('./run-service.ts');
