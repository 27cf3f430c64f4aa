import { z } from 'zod';
import { readSecretJson, type SecretReader } from './secrets.ts';

/** The JSON that RDS (and its rotation function) keeps in the database secret `order-service/db`. */
const databaseSecretSchema = z.object({
  username: z.string().min(1),
  password: z.string().min(1),
  host: z.string().min(1),
  // RDS writes a number; a hand-made secret often has a string.
  port: z.coerce.number().int().min(1).max(65_535),
  dbname: z.string().min(1),
});

export type DatabaseSecret = z.infer<typeof databaseSecretSchema>;

/**
 * The database credentials and address. After PostgreSQL rejects the password (SQLSTATE 28P01), call
 * `reader.invalidate(id)` first so this reads the rotated value.
 */
export function readDatabaseSecret(reader: SecretReader, id: string): Promise<DatabaseSecret> {
  return readSecretJson(reader, id, databaseSecretSchema);
}
