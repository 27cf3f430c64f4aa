/**
 * `nx run order-service:migrate`: applies migrations to the configured database and exits. Start-up applies
 * them too; this is for pipelines that migrate before rolling out.
 */
import { loadConfig } from '../../config/config.ts';
import { createLogger } from '../../observability/logger.ts';
import { connectDatabase } from './connect.ts';
import { readDatabaseSecret } from '../aws/database-secret.ts';
import { createSecretsManagerReader } from '../aws/secrets.ts';

const logger = createLogger({ level: 'info' });
try {
  const config = loadConfig();
  const secrets = createSecretsManagerReader(config.aws);
  const connection = await connectDatabase(config, logger, (id) => readDatabaseSecret(secrets, id));
  try {
    await connection.migrate();
    logger.info({ database: connection.description }, 'migrations applied');
  } finally {
    await connection.close();
    secrets.close();
  }
} catch (error) {
  process.stderr.write(
    `migrations failed. ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
}
