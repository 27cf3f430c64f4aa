import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloneOf, ensureApplicationRole } from './application-role.ts';

// Runs against the real PostgreSQL of the workspace (DATABASE_URL). On RDS the handler connects as
// the master user; here the superuser plays that part.
const databaseUrl = process.env['DATABASE_URL'];

describe.skipIf(!databaseUrl)('the application role on a real PostgreSQL', () => {
  const suffix = randomBytes(4).toString('hex');
  const database = `infra_aws_roles_${suffix}`;
  const username = `order_service_${suffix}`;
  let admin: pg.Client;
  let master: pg.Client;

  const connect = async (user?: string) => {
    const url = new URL(databaseUrl!);
    url.pathname = `/${database}`;
    if (user) url.username = user;
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    return client;
  };

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    master = await connect();
    await ensureApplicationRole(master, { username, password: 'first-password', database });
  });

  afterAll(async () => {
    await master?.end();
    await admin?.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    for (const role of [cloneOf(username), username]) {
      await admin?.query(`DROP ROLE IF EXISTS ${role}`);
    }
    await admin?.end();
  });

  const passwordOf = async (role: string) =>
    (await admin.query('SELECT rolpassword FROM pg_authid WHERE rolname = $1', [role])).rows[0]
      ?.rolpassword as string;

  it('creates a login role that is not a superuser and may create the tables migrations need', async () => {
    const { rows } = await admin.query(
      'SELECT rolcanlogin, rolsuper, rolcreaterole FROM pg_roles WHERE rolname = $1',
      [username],
    );
    expect(rows).toEqual([{ rolcanlogin: true, rolsuper: false, rolcreaterole: false }]);
    const app = await connect(username);
    await app.query('CREATE TABLE made_by_app (id int)');
    await app.end();
  });

  it('makes the clone act as the role, so objects stay owned by one role across rotations', async () => {
    const clone = await connect(cloneOf(username));
    expect((await clone.query('SELECT current_user')).rows[0].current_user).toBe(username);
    await clone.query('CREATE TABLE made_by_clone (id int)');
    await clone.end();
    const owners = await master.query(
      `SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
    );
    expect(owners.rows).toEqual([
      { tablename: 'made_by_app', tableowner: username },
      { tablename: 'made_by_clone', tableowner: username },
    ]);
  });

  it('runs again without touching a password the rotation has changed since', async () => {
    await admin.query(`ALTER ROLE ${username} PASSWORD 'rotated-password'`);
    const rotated = await passwordOf(username);
    await ensureApplicationRole(master, { username, password: 'first-password', database });
    expect(await passwordOf(username)).toBe(rotated);
  });
});
