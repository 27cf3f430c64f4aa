/** The test harness shared by the service's own tests and apps/order-service-e2e. */
export {
  freePort,
  runUntilExit,
  startListening,
  type Exit,
  type NodeProcess,
} from './node-process.ts';
export { developmentTokens } from './development-tokens.ts';
export { createDatabaseOn, type TestDatabase } from './test-database.ts';
