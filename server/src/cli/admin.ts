/**
 * `npm run admin -- <command>`: what the court's administrator does from the command line on the
 * server machine, against the configured database — DATA_DIR, or DATABASE_URL's PostgreSQL — with
 * or without the server running.
 *
 *   court:create <code> --ru <name> --kk <name> --en <name> [--timezone Asia/Almaty]
 *   hall:create <court code> <hall code> --ru <name> --kk <name> --en <name> [--address-ru <address>] [--address-kk <address>]
 *   user:create <username> --name <full name> --roles judge,chair [--court <code>] [--locale kk|ru|en]
 *                [--hall <hall code>]  (a hall_display account: the hall of --court whose wall screen it is)
 *                (the password is read from standard input: one line)
 *   user:password <username>        (the new password from standard input)
 *   token:create <client>           a bearer token for an integration client (ERDR); printed once
 *   token:revoke <client>           token:list
 *   audit:verify                    checks the audit log's hash chain and its signed checkpoints;
 *                                   prints a JSON verdict; exit code 0 when whole, 3 when broken
 *
 * A production installation (EZAL_DEMO=0) starts with an empty database; this is how its first
 * court, halls and users are made.
 */
import crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import { and, eq } from 'drizzle-orm';
import { openDb, type Database, type SqliteDatabase } from '../../../db/database.ts';
import { LOCALES, STAFF_ROLES, type Locale, type StaffRole } from '../../../db/schema.ts';
import { hashPassword, WeakPasswordError } from '../auth/password.ts';
import { loadConfig, loadDotEnv } from '../config.ts';
import { IntegrationClients } from '../integrations/integration-clients.ts';
import { verifyAuditChain } from '../audit/audit-chain.ts';
import { AuditRepository } from '../audit/audit.repository.ts';
import { loadSecrets } from '../secrets.ts';

class UsageError extends Error {}

const MIN_PASSWORD_LENGTH = 10;
/** `audit:verify` found the chain broken (1 is a refused command, 2 a usage error). */
const AUDIT_BROKEN_EXIT = 3;

const commands: Record<string, (database: Database, args: string[]) => Promise<string>> = {
  'court:create': async (database, args) => {
    const { courts } = database.tables;
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { ru: { type: 'string' }, kk: { type: 'string' }, en: { type: 'string' }, timezone: { type: 'string', default: 'Asia/Almaty' } },
    });
    const [code] = positionals;
    if (!code || !values.ru || !values.kk || !values.en) throw new UsageError('court:create <code> --ru <name> --kk <name> --en <name>');
    const court = { id: crypto.randomUUID(), code, nameRu: values.ru, nameKk: values.kk, nameEn: values.en, timezone: values.timezone };
    const created = await database.transaction(() => database.db.insert(courts).values(court).onConflictDoNothing().returning({ id: courts.id }));
    if (created.length === 0) throw new UsageError(`court ${code} already exists`);
    return `court ${code} created`;
  },

  'hall:create': async (database, args) => {
    const { courts, halls } = database.tables;
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { ru: { type: 'string' }, kk: { type: 'string' }, en: { type: 'string' }, 'address-ru': { type: 'string' }, 'address-kk': { type: 'string' } },
    });
    const [courtCode, hallCode] = positionals;
    if (!courtCode || !hallCode || !values.ru || !values.kk || !values.en) {
      throw new UsageError('hall:create <court code> <hall code> --ru <name> --kk <name> --en <name> [--address-ru <address>] [--address-kk <address>]');
    }
    const [court] = await database.db.select({ id: courts.id }).from(courts).where(eq(courts.code, courtCode));
    if (!court) throw new UsageError(`no court ${courtCode}`);
    // The address is what summonses give as the place of the hearing.
    const hall = {
      id: crypto.randomUUID(),
      courtId: court.id,
      code: hallCode,
      nameRu: values.ru,
      nameKk: values.kk,
      nameEn: values.en,
      addressRu: values['address-ru'] ?? null,
      addressKk: values['address-kk'] ?? null,
    };
    await database.transaction(async () => {
      await database.db.insert(halls).values(hall);
    });
    return `hall ${hallCode} of court ${courtCode} created`;
  },

  'user:create': async (database, args) => {
    const { courts, hallDisplays, halls, userRoles, users } = database.tables;
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { name: { type: 'string' }, roles: { type: 'string' }, court: { type: 'string' }, locale: { type: 'string', default: 'ru' }, hall: { type: 'string' } },
    });
    const [username] = positionals;
    const fullName = values.name;
    if (!username || !fullName || !values.roles) throw new UsageError('user:create <username> --name <full name> --roles judge,chair [--court <code>] [--locale kk|ru|en] [--hall <hall code>]');
    if (!/^[a-z0-9._-]{2,64}$/.test(username)) throw new UsageError('a username is 2–64 characters: lower-case latin letters, digits, dot, dash, underscore');
    const roles = values.roles.split(',').map((r) => r.trim());
    const unknown = roles.filter((r) => !(STAFF_ROLES as readonly string[]).includes(r));
    if (unknown.length > 0) throw new UsageError(`unknown role(s) ${unknown.join(', ')}; roles are ${STAFF_ROLES.join(', ')}`);
    if (!(LOCALES as readonly string[]).includes(values.locale!)) throw new UsageError(`--locale is one of ${LOCALES.join(', ')}`);
    let courtId: string | null = null;
    if (values.court) {
      const [court] = await database.db.select({ id: courts.id }).from(courts).where(eq(courts.code, values.court));
      if (!court) throw new UsageError(`no court ${values.court}`);
      courtId = court.id;
    }
    // A wall screen is bound to exactly one hall, and only a wall screen is.
    let hallId: string | null = null;
    if (roles.includes('hall_display') !== (values.hall !== undefined)) throw new UsageError('a hall_display account needs --hall <hall code> (with --court), and only it takes --hall');
    if (values.hall) {
      if (!courtId) throw new UsageError('--hall needs --court <code>');
      const [hall] = await database.db
        .select({ id: halls.id })
        .from(halls)
        .where(and(eq(halls.courtId, courtId), eq(halls.code, values.hall)));
      if (!hall) throw new UsageError(`no hall ${values.hall} in court ${values.court}`);
      hallId = hall.id;
    }
    if (await userExists(database, username)) throw new UsageError(`user ${username} already exists`);
    const passwordHash = await hashPassword(await readPassword(), { username, fullName });
    const id = crypto.randomUUID();
    await database.transaction(async () => {
      // Asked again inside: the password prompt may have taken a while.
      if (await userExists(database, username)) throw new UsageError(`user ${username} already exists`);
      await database.db.insert(users).values({ id, username, passwordHash, fullName, locale: values.locale as Locale, courtId });
      await database.db.insert(userRoles).values(roles.map((role) => ({ userId: id, role: role as StaffRole })));
      if (hallId) await database.db.insert(hallDisplays).values({ userId: id, hallId });
    });
    return `user ${username} created with role(s) ${roles.join(', ')}`;
  },

  'token:create': async (database, args) => {
    const [client] = args;
    if (!client) throw new UsageError('token:create <client>');
    return new IntegrationClients(database).create(client);
  },

  'token:revoke': async (database, args) => {
    const [client] = args;
    if (!client) throw new UsageError('token:revoke <client>');
    if (!(await new IntegrationClients(database).revoke(client))) throw new UsageError(`no live token for ${client}`);
    return `token of ${client} revoked`;
  },

  'token:list': async (database) =>
    (await new IntegrationClients(database).list()).map((c) => `${c.name}\tissued ${c.createdAt.toISOString()}${c.revokedAt ? `\trevoked ${c.revokedAt.toISOString()}` : ''}`).join('\n') ||
    '(no integration clients)',

  'audit:verify': async (database) => {
    // As the admin page checks it: SQLite's file in one statement, PostgreSQL in pages (audit.repository.ts).
    const key = loadSecrets(loadConfig().dataDir).auditKey;
    const verdict = database.dialect === 'sqlite' ? verifyAuditChain((database as SqliteDatabase).legacy.sqlite, key) : await new AuditRepository(database).verifyChain(key);
    if (!verdict.ok) process.exitCode = AUDIT_BROKEN_EXIT;
    return JSON.stringify(verdict, null, 2);
  },

  'user:password': async (database, args) => {
    const { users } = database.tables;
    const [username] = args;
    if (!username) throw new UsageError('user:password <username>');
    const [user] = await database.db.select({ id: users.id, fullName: users.fullName }).from(users).where(eq(users.username, username));
    if (!user) throw new UsageError(`no user ${username}`);
    const passwordHash = await hashPassword(await readPassword(), { username, fullName: user.fullName });
    await database.transaction(async () => {
      await database.db.update(users).set({ passwordHash }).where(eq(users.id, user.id));
    });
    return `password of ${username} changed`;
  },
};

async function userExists(database: Database, username: string): Promise<boolean> {
  const { users } = database.tables;
  const [user] = await database.db.select({ id: users.id }).from(users).where(eq(users.username, username));
  return user !== undefined;
}

async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Password (one line, then Enter): ');
  let input = '';
  for await (const chunk of process.stdin) {
    input += chunk;
    if (input.includes('\n')) break;
  }
  const password = input.split('\n')[0].replace(/\r$/, '');
  if (password.length < MIN_PASSWORD_LENGTH) throw new UsageError(`the password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  return password;
}

const [command, ...args] = process.argv.slice(2);
const run = command ? commands[command] : undefined;
if (!run) {
  console.error(`usage: npm run admin -- <command>\ncommands: ${Object.keys(commands).join(', ')}`);
  process.exit(2);
}
loadDotEnv();
const config = loadConfig();
const database = await openDb({ dataDir: config.dataDir, databaseUrl: config.cluster.databaseUrl });
try {
  console.log(await run(database, args));
} catch (error) {
  console.error(error instanceof UsageError || error instanceof WeakPasswordError ? `error: ${error.message}` : error);
  process.exitCode = 1;
} finally {
  await database.close();
}
