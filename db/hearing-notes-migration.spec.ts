/**
 * Migration 0015: a database whose live states still hold the secretary's notes keeps
 * them. They move to their rows, in the order they were added and as last edited, and a screen
 * joining the hearing afterwards gets the very state it got before.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { SessionUser } from '../server/src/auth/auth.service.ts';
import type { AuditRepository } from '../server/src/audit/audit.repository.ts';
import type { HearingAccess } from '../server/src/hearings/hearing-access.ts';
import { applyEvent, initialLiveState, type HearingEvent, type HearingEventBody } from '../server/src/shared/hearing/state.ts';
import { HearingsRepository } from '../server/src/hearings/hearings.repository.ts';
import { HearingsService } from '../server/src/hearings/hearings.service.ts';
import { databaseFile } from './client.ts';
import { openSqliteDb, type Database as EzalDatabase, type Queries } from './database.ts';
import { loadDemoData } from './demo.ts';
import * as schema from './schema.ts';

const MIGRATIONS = path.join(import.meta.dirname, 'migrations');
const T0 = Date.UTC(2026, 11, 1, 5, 0, 0);

/** A copy of the migrations folder that stops before `tag`. */
function migrationsBefore(tag: string, dir: string): string {
  const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };
  const entries = journal.entries.slice(
    0,
    journal.entries.findIndex((e) => e.tag === tag),
  );
  fs.mkdirSync(path.join(dir, 'meta'), { recursive: true });
  for (const e of entries) fs.copyFileSync(path.join(MIGRATIONS, `${e.tag}.sql`), path.join(dir, `${e.tag}.sql`));
  fs.writeFileSync(path.join(dir, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries }));
  return dir;
}

test('0015 moves the notes out of the stored live states: the rows hold them in order and as edited, a joining screen sees the same state', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-notes-migration-'));
  try {
    // The database as 0014 left it, with the demo court in it.
    const sqlite = new Database(databaseFile(dataDir));
    sqlite.pragma('foreign_keys = OFF');
    migrate(drizzle({ client: sqlite, schema }), { migrationsFolder: migrationsBefore('0015_hearing_protocol_notes', path.join(dataDir, 'migrations-0014')) });
    sqlite.pragma('foreign_keys = ON');
    // Through db/database.ts's interface, on this file as it is (opening it with openSqliteDb would migrate it past 0014).
    const at0014 = drizzle({ client: sqlite, schema }) as unknown as Queries;
    await loadDemoData({ dialect: 'sqlite', tables: schema, db: at0014, transaction: (fn: () => Promise<unknown>) => fn() } as unknown as EzalDatabase);
    const hearing = sqlite.prepare("select h.id, h.secretary_id as secretary, h.status, h.stage from hearings h join cases c on c.id = h.case_id where c.case_number = '7511-26-00-1/245'").get() as {
      id: string;
      secretary: string;
      status: 'scheduled';
      stage: null;
    };

    // A hearing as the code before 0015 stored it: the log, and the state with every note in it.
    const bodies: HearingEventBody[] = [
      { type: 'hearing.opened', payload: {} },
      { type: 'protocol.note_added', payload: { noteId: 'n-b', text: 'Первая', speakerParticipantId: null, startedAt: T0 + 5_000 } },
      { type: 'protocol.note_added', payload: { noteId: 'n-a', text: 'Вторая', speakerParticipantId: null, startedAt: T0 + 3_000 } },
      { type: 'mark.added', payload: { text: 'Отметка', clock: 9_000 } },
      { type: 'protocol.note_edited', payload: { noteId: 'n-b', text: 'Первая, исправленная', speakerParticipantId: null } },
      { type: 'protocol.note_added', payload: { noteId: 'n-c', text: 'Третья', speakerParticipantId: null, startedAt: T0 + 10_000 } },
    ];
    const events = bodies.map(
      (body, i) => ({ ...body, hearingId: hearing.id, version: i + 1, at: T0 + i * 1_000, actor: { userId: hearing.secretary, fullName: '', role: 'secretary' } }) as HearingEvent,
    );
    const state = events.reduce(applyEvent, initialLiveState({ version: 0, status: hearing.status, stage: hearing.stage }));
    const append = sqlite.prepare('insert into hearing_events (hearing_id, version, at, actor_user_id, actor_role, type, payload) values (?, ?, ?, ?, ?, ?, ?)');
    for (const e of events) append.run(hearing.id, e.version, e.at, e.actor.userId, e.actor.role, e.type, JSON.stringify(e.payload));
    sqlite.prepare('insert into hearing_states (hearing_id, state, updated_at) values (?, ?, ?)').run(hearing.id, JSON.stringify(state), T0);
    sqlite.prepare('update hearings set status = ?, stage = ?, version = ? where id = ?').run(state.status, state.stage, state.version, hearing.id);
    sqlite.close();
    assert.deepEqual(
      state.protocol?.notes.map((n) => [n.id, n.text, n.edits]),
      [
        ['n-b', 'Первая, исправленная', 1],
        ['n-a', 'Вторая', 0],
        ['n-c', 'Третья', 0],
      ],
    );

    const database = openSqliteDb(dataDir);
    try {
      const repository = new HearingsRepository(database);
      assert.deepEqual(await repository.protocolNotes(hearing.id), state.protocol?.notes, 'in the order they were added, as last edited');
      assert.deepEqual(await repository.liveState(hearing.id), { ...state, protocol: { ...state.protocol!, notes: [] } }, 'the stored state keeps the rest as it was');

      const service = new HearingsService({
        hearings: repository,
        access: { seatOf: async () => ({ role: 'court', participantId: null }) } as unknown as HearingAccess,
        audit: {} as AuditRepository,
        database,
        log: { error: () => {} },
      });
      const user = { id: 'u-office', username: 'office', fullName: 'Канцелярия', roles: ['office'], locale: 'ru', courtId: null, sessionId: 's' } satisfies SessionUser;
      const { sync } = await service.join(user, hearing.id, null);
      assert.equal(sync.kind, 'snapshot');
      assert.deepEqual(sync.kind === 'snapshot' && sync.snapshot.state, state, 'a screen joining sees what it saw before the migration');
    } finally {
      await database.close();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
