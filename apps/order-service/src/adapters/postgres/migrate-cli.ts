/**
 * `nx run order-service:migrate`: applies migrations to the configured database and exits. Start-up applies
 * them too; this is for pipelines that migrate before rolling out.
 */
import { pino } from 'pino';
import { loadConfig } from '../../config/config.ts';
import { connectDatabase } from './connect.ts';

const logger = pino({ name: 'migrate' });
const config = loadConfig();
const connection = await connectDatabase(config, logger);
try {
  await connection.migrate();
  logger.info('migrations applied');
} finally {
  await connection.close();
}
