/**
 * The demo court: two halls (with addresses, as summonses state them), one user per role
 * (password `ezal-demo`; `hall1` is the wall screen of courtroom 1; `defendant` and `victim` are
 * the demo case's parties, with no staff role), a criminal case with its
 * participants and a hearing scheduled for the next working day at 10:00, assigned to `judge`,
 * and — given the court's file store — the case's case file (db/demo-case-file.ts), so the hall
 * can be tried end to end.
 * Loaded only when EZAL_DEMO is on (the default of `npm start`); a production start never
 * creates these users. Loading twice changes nothing.
 */
import crypto from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { hash } from '@node-rs/argon2';
import { fromZonedTime, toZonedTime } from '../server/src/shared/court-time.ts';
import type { Database } from './database.ts';
import { DEMO_VOLUMES, readDemoFiles, storeDemoFiles } from './demo-case-file.ts';
import type { StaffRole } from './schema.ts';

export const DEMO_PASSWORD = 'ezal-demo';
export const DEMO_COURT_CODE = '7511';

type DemoUser = { username: string; fullName: string; roles: StaffRole[]; locale: 'kk' | 'ru' | 'en'; iin?: string; email?: string };

export const DEMO_USERS: DemoUser[] = [
  { username: 'judge', fullName: 'Ахметова Гульнара Сериковна', roles: ['judge'], locale: 'ru', iin: '780315400123', email: 'judge@ezal.test' },
  { username: 'judge2', fullName: 'Нурланов Асхат Болатович', roles: ['judge'], locale: 'ru', iin: '800722300456', email: 'judge2@ezal.test' },
  { username: 'secretary', fullName: 'Жумабекова Айгерим Кайратовна', roles: ['secretary'], locale: 'kk', iin: '950201400789', email: 'secretary@ezal.test' },
  { username: 'prosecutor', fullName: 'Сапаров Ерлан Маратович', roles: ['prosecutor'], locale: 'ru', iin: '850412300125', email: 'prosecutor@ezal.test' },
  { username: 'defender', fullName: 'Ким Виктор Александрович', roles: ['defender'], locale: 'ru', iin: '820919300341', email: 'defender@ezal.test' },
  { username: 'office', fullName: 'Омарова Динара Ерлановна', roles: ['office'], locale: 'kk', iin: '900511400567', email: 'office@ezal.test' },
  { username: 'chair', fullName: 'Бекмуханов Серик Жанатович', roles: ['chair', 'judge'], locale: 'kk', iin: '700103300891', email: 'chair@ezal.test' },
  { username: 'admin', fullName: 'Администратор e-Zal', roles: ['admin'], locale: 'en', iin: '880808300112', email: 'admin@ezal.test' },
  // Parties who are people (no staff role): they log in to see their case, its motions register and file motions.
  { username: 'defendant', fullName: 'Иванов Петр Сергеевич', roles: [], locale: 'ru', iin: '990314300234' },
  { username: 'victim', fullName: 'Касымова Алия Нурлановна', roles: [], locale: 'kk', iin: '870625400345', email: 'victim@ezal.test' },
  { username: 'hall1', fullName: '№ 1 зал — экран / Зал № 1 — экран', roles: ['hall_display'], locale: 'kk' },
];

/**
 * Loads the demo data unless the demo court already exists, in one transaction on either dialect
 * (db/database.ts). Returns whether anything was written. Two nodes starting together on an empty
 * database both come up: the court row is written first, and the one that finds it there (PostgreSQL
 * waits for the other's commit on its unique code) writes nothing.
 * `filesDir`: the court's file store (DATA_DIR/files); without it the demo case has no case file.
 */
/** The advisory lock key of the demo data: the ASCII bytes of "ezal-dem" as a big-endian 64-bit integer. */
const DEMO_LOCK_KEY = '7312264062235338093';

export async function loadDemoData(database: Database, options: { now?: Date; filesDir?: string } = {}): Promise<boolean> {
  const { caseParticipants, cases, caseStaff, courts, documents, hallDisplays, halls, hearings, judicialActs, storedFiles, userRoles, users, volumes } = database.tables;
  const now = options.now ?? new Date();
  const [present] = await database.db.select({ id: courts.id }).from(courts).where(eq(courts.code, DEMO_COURT_CODE));
  if (present) return false;

  // Hashed before the transaction, which then holds the writer no longer than its writes take.
  const passwordHash = await hash(DEMO_PASSWORD);
  const id = () => crypto.randomUUID();
  const courtId = id();
  const hall1 = id();
  const hall2 = id();
  const userIds = new Map(DEMO_USERS.map((u) => [u.username, id()]));
  const caseId = id();
  const files = options.filesDir ? readDemoFiles() : null;
  let demoVerdictId: string | null = null;
  // The files first, the rows that name them after (as an intake does).
  if (files && options.filesDir) storeDemoFiles(options.filesDir, files.values());

  return database.transaction(async () => {
    // Nodes started together on an empty database would both find no demo court above: on
    // PostgreSQL they queue here (a lock held to the commit; SQLite has one writer anyway) and
    // the later one finds the court the first has loaded.
    if (database.dialect === 'postgres') await database.rows(sql`select pg_advisory_xact_lock(${DEMO_LOCK_KEY}::bigint)`);
    const [loaded] = await database.db.select({ id: courts.id }).from(courts).where(eq(courts.code, DEMO_COURT_CODE));
    if (loaded) return false;
    // `database.db` is read at each statement: inside the transaction it is the transaction.
    const courtRow = {
      id: courtId,
      code: DEMO_COURT_CODE,
      nameRu: 'Специализированный межрайонный суд по уголовным делам города Алматы',
      nameKk: 'Алматы қаласының қылмыстық істер жөніндегі мамандандырылған ауданаралық соты',
      nameEn: 'Specialised Inter-District Criminal Court of Almaty',
      timezone: 'Asia/Almaty',
    };
    const created = await database.db.insert(courts).values(courtRow).onConflictDoNothing().returning({ id: courts.id });
    // Loaded in the meantime (another node, another process): nothing more to do.
    if (created.length === 0) return false;
    await database.db.insert(halls).values([
      {
        id: hall1,
        courtId,
        code: '1',
        nameRu: 'Зал судебных заседаний № 1',
        nameKk: '№ 1 сот отырысы залы',
        nameEn: 'Courtroom 1',
        addressRu: 'г. Алматы, ул. Примерная, 1, 2-й этаж',
        addressKk: 'Алматы қ., Примерная к-сі, 1, 2-қабат',
      },
      {
        id: hall2,
        courtId,
        code: '2',
        nameRu: 'Зал судебных заседаний № 2',
        nameKk: '№ 2 сот отырысы залы',
        nameEn: 'Courtroom 2',
        addressRu: 'г. Алматы, ул. Примерная, 1, 3-й этаж',
        addressKk: 'Алматы қ., Примерная к-сі, 1, 3-қабат',
      },
    ]);
    await database.db
      .insert(users)
      .values(
        DEMO_USERS.map((u) => ({ id: userIds.get(u.username)!, username: u.username, passwordHash, fullName: u.fullName, iin: u.iin ?? null, email: u.email ?? null, locale: u.locale, courtId })),
      );
    await database.db.insert(userRoles).values(DEMO_USERS.flatMap((u) => u.roles.map((role) => ({ userId: userIds.get(u.username)!, role }))));
    await database.db.insert(hallDisplays).values({ userId: userIds.get('hall1')!, hallId: hall1 });
    await database.db.insert(cases).values({
      id: caseId,
      courtId,
      caseNumber: '7511-26-00-1/245',
      erdrNumber: '261500031000457',
      category: 'crime',
      language: 'ru',
      summaryRu: 'По обвинению Иванова Петра Сергеевича в краже (п. 3 ч. 2 ст. 188 УК РК)',
      summaryKk: 'Иванов Петр Сергеевичті ұрлық жасады деп айыптау (ҚР ҚК 188-бабы 2-бөлігінің 3-тармағы)',
      summaryEn: 'Ivanov Pyotr Sergeyevich, charged with theft (Criminal Code of Kazakhstan, art. 188 part 2 para 3)',
      qualification: [{ code: 'УК РК', article: '188', part: '2', paragraph: '3', text: 'Кража, совершённая с незаконным проникновением в жилище' }],
      status: 'received',
      receivedAt: now,
    });
    await database.db.insert(caseStaff).values([
      { caseId, userId: userIds.get('judge')!, role: 'judge' },
      { caseId, userId: userIds.get('secretary')!, role: 'secretary' },
    ]);
    await database.db.insert(caseParticipants).values([
      { id: id(), caseId, role: 'defendant', fullName: 'Иванов Петр Сергеевич', iin: '990314300234', birthDate: '1999-03-14', phone: '+77011234567', userId: userIds.get('defendant')! },
      {
        id: id(),
        caseId,
        role: 'victim',
        fullName: 'Касымова Алия Нурлановна',
        iin: '870625400345',
        birthDate: '1987-06-25',
        email: 'victim@ezal.test',
        language: 'kk',
        userId: userIds.get('victim')!,
      },
      { id: id(), caseId, role: 'witness', fullName: 'Петров Андрей Викторович', iin: '910101300456', phone: '+77017654321' },
      { id: id(), caseId, role: 'prosecutor', fullName: 'Сапаров Ерлан Маратович', iin: '850412300125', userId: userIds.get('prosecutor')! },
      { id: id(), caseId, role: 'defender', fullName: 'Ким Виктор Александрович', iin: '820919300341', userId: userIds.get('defender')! },
    ]);
    await database.db.insert(hearings).values({
      id: id(),
      caseId,
      hallId: hall1,
      scheduledAt: nextWorkingDayAt10(now),
      presidingJudgeId: userIds.get('judge')!,
      secretaryId: userIds.get('secretary')!,
      status: 'scheduled',
    });

    // ---- The demo case file (db/demo-case-file.ts) ----
    if (!files) return true;
    await database.db
      .insert(storedFiles)
      .values([...files.values()].map((file) => ({ sha256: file.sha256, size: file.size, storedAt: now })))
      .onConflictDoNothing();
    for (const volume of DEMO_VOLUMES) {
      const volumeId = id();
      await database.db.insert(volumes).values({ id: volumeId, caseId, number: volume.number, title: volume.title, sheets: volume.sheets });
      const rows = volume.documents.map((d, index) => {
        const file = files.get(d.file)!;
        const documentId = id();
        if (d.type === 'verdict') demoVerdictId = documentId;
        return {
          id: documentId,
          caseId,
          volumeId,
          position: index + 1,
          sourceId: d.sourceId,
          kind: d.kind,
          type: d.type,
          title: d.title,
          date: d.date,
          author: d.author,
          fileSha256: file.sha256,
          fileName: d.file,
          size: file.size,
          mimeType: d.mimeType,
          pages: d.pages ?? null,
          sheetFrom: d.sheetFrom ?? null,
          sheetTo: d.pages && d.sheetFrom ? d.sheetFrom + d.pages - 1 : null,
          durationSec: d.durationSec ?? null,
          attachedToSourceId: d.attachedTo ?? null,
          createdAt: now,
        };
      });
      if (rows.length > 0) await database.db.insert(documents).values(rows);
    }
    // The verdict, marked by the judge as the act of the hearing: it enters the acts index
    // (as written and depersonalised) once the server has read its text (server/src/acts).
    if (demoVerdictId) {
      await database.db.insert(judicialActs).values({
        id: id(),
        textKey: sql`(select coalesce(max(text_key), 0) + 1 from judicial_acts)`,
        caseId,
        documentId: demoVerdictId,
        courtId,
        judgeId: userIds.get('judge')!,
        kind: 'verdict',
        outcome: 'conviction',
        actDate: '2026-11-20',
        articles: ['188'],
        articleKeys: ',188,',
        markedBy: userIds.get('judge')!,
        markedAt: now,
      });
    }
    return true;
  });
}

/** 10:00 court time on the first Monday-to-Friday day after `now`. */
export function nextWorkingDayAt10(now: Date, timeZone = 'Asia/Almaty'): Date {
  const today = toZonedTime(timeZone, now);
  for (let days = 1; ; days++) {
    const candidate = fromZonedTime(timeZone, { year: today.year, month: today.month, day: today.day + days, hour: 10, minute: 0 });
    const weekday = toZonedTime(timeZone, candidate).weekday;
    if (weekday !== 0 && weekday !== 6) return candidate;
  }
}
