import { randomBytes } from 'node:crypto';
import type pg from 'pg';

export interface ApplicationRole {
  /** The role the service logs in as (the username of its secret). */
  readonly username: string;
  /** Its password, from the secret, used only when the role does not exist yet. */
  readonly password: string;
  /** The database it works in. */
  readonly database: string;
}

/**
 * The role the second user of Secrets Manager's multi-user rotation takes: the rotation alternates
 * between `<user>` and `<user>_clone`.
 */
export const cloneOf = (username: string): string => `${username}_clone`;

/**
 * Creates the service's login role (not the master user) as the master user, once, and keeps it
 * usable by multi-user rotation: the clone the rotation alternates to exists up front, is a member of
 * the role and acts as it (`SET role`), so objects its migrations create stay owned by one role
 * whichever of the two is current. Idempotent: an existing role keeps its (rotated) password.
 */
export async function ensureApplicationRole(
  client: pg.ClientBase,
  role: ApplicationRole,
): Promise<void> {
  const user = client.escapeIdentifier(role.username);
  const clone = client.escapeIdentifier(cloneOf(role.username));
  const exists = async (name: string) =>
    (await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name])).rowCount === 1;

  if (!(await exists(role.username))) {
    await client.query(`CREATE ROLE ${user} LOGIN PASSWORD ${client.escapeLiteral(role.password)}`);
  }
  if (!(await exists(cloneOf(role.username)))) {
    // Unusable until the first rotation gives it the password in the secret.
    const unused = randomBytes(32).toString('hex');
    await client.query(`CREATE ROLE ${clone} LOGIN PASSWORD ${client.escapeLiteral(unused)}`);
  }
  await client.query(`GRANT ${user} TO ${clone}`);
  await client.query(`ALTER ROLE ${clone} SET role = ${client.escapeLiteral(role.username)}`);
  const database = client.escapeIdentifier(role.database);
  await client.query(`GRANT CONNECT, TEMPORARY ON DATABASE ${database} TO ${user}`);
  // PostgreSQL 15+ grants no CREATE on schema public: migrations need it.
  await client.query(`GRANT USAGE, CREATE ON SCHEMA public TO ${user}`);
}
