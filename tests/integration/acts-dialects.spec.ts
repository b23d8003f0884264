/**
 * The acts search on both dialects (issue 20): acts marked and indexed through ActsRepository and
 * ActsService.indexPending into SQLite's FTS5 table and PostgreSQL's tsvector table are found by
 * the same queries — a Russian word in another form, a Kazakh word as written, key phrases,
 * filters — with the same counts, newest first, the same words highlighted, and the same rule:
 * a reader not entitled to the case matches and reads only the depersonalised text.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Database } from '../../db/database.ts';
import { ActsRepository, type ActFilters, type Reader } from '../../server/src/acts/acts.repository.ts';
import { ActsService } from '../../server/src/acts/acts.service.ts';
import { parseActsQuery } from '../../server/src/acts/word-forms.ts';
import { snippetParts } from '../../server/src/case-text/case-search.service.ts';
import { CaseTextRepository } from '../../server/src/case-text/case-text.repository.ts';
import { searchableText } from '../../server/src/case-text/search-text.ts';
import { onBothDialects, seedCase, seedCourt, seedUser, seedVolume, T0 } from '../helpers/both-dialects.ts';

type ActSeed = { id: string; caseId: string; courtId: string; language: 'kk' | 'ru'; date: string; outcome: 'conviction' | 'acquittal'; article: string; text: string; defendant: string };

/** Oldest first: they are marked in this order, so the last is the newest (the largest key). */
const ACTS: ActSeed[] = [
  {
    id: 'act-1',
    caseId: 'case-1',
    courtId: 'court-1',
    language: 'ru',
    date: '2025-03-14',
    outcome: 'conviction',
    article: '188',
    defendant: 'Иванов Сергей Петрович',
    text: 'Приговор. Подсудимый Иванов Сергей Петрович совершил кражу телефона. Назначить Иванову наказание в виде лишения свободы сроком на два года.',
  },
  {
    id: 'act-2',
    caseId: 'case-2',
    courtId: 'court-1',
    language: 'ru',
    date: '2026-02-02',
    outcome: 'acquittal',
    article: '190',
    defendant: 'Ахметов Ерлан Болатович',
    text: 'Приговор. Ахметов Ерлан Болатович оправдан: мошенничество не доказано, кражи не было, обман не установлен.',
  },
  {
    id: 'act-3',
    caseId: 'case-3',
    courtId: 'court-2',
    language: 'kk',
    date: '2026-05-20',
    outcome: 'conviction',
    article: '188',
    defendant: 'Сериков Нұрлан Маратұлы',
    text: 'Үкім. Сотталушы Сериков Нұрлан Маратұлы ұрлық жасады. Сериковке бас бостандығынан айыру түріндегі жаза тағайындалсын.',
  },
  {
    id: 'act-4',
    caseId: 'case-4',
    courtId: 'court-2',
    language: 'ru',
    date: '2026-11-20',
    outcome: 'conviction',
    article: '188',
    defendant: 'Кузнецов Дмитрий Олегович',
    text: 'Приговор. Кузнецов Дмитрий Олегович совершил кражи велосипедов. Свободы лишения не назначать, назначить штраф.',
  },
];

async function seed(database: Database): Promise<void> {
  const { tables } = database;
  await database.transaction(async () => {
    await seedCourt(database, { id: 'court-1', code: 'C1' });
    await seedCourt(database, { id: 'court-2', code: 'C2' });
    for (const [id, name, courtId] of [
      ['judge-1', 'Судья Первый', 'court-1'],
      ['judge-2', 'Судья Второй', 'court-2'],
      ['party-3', 'Сторона', null],
      ['outsider', 'Посторонний', 'court-2'],
    ] as const)
      await seedUser(database, { id, fullName: name, courtId });
    for (const act of ACTS) {
      await seedCase(database, {
        id: act.caseId,
        courtId: act.courtId,
        language: act.language,
        judgeId: act.courtId === 'court-1' ? 'judge-1' : 'judge-2',
        qualification: [{ article: act.article, part: '2' } as never],
      });
      await database.db.insert(tables.caseParticipants).values({
        id: `${act.caseId}-defendant`,
        caseId: act.caseId,
        role: 'defendant',
        fullName: act.defendant,
        userId: act.caseId === 'case-3' ? 'party-3' : null,
        createdAt: T0,
      });
      await seedVolume(database, act.caseId, 1, [{ id: `${act.caseId}-verdict`, sheets: 1 }]);
    }
  });
  // The case file's text, then the acts marked and indexed as the server does it.
  const texts = new CaseTextRepository(database);
  const pending = await texts.pending(100);
  await texts.save(pending.map((document) => ({ ...document, ok: true as const, pages: [searchableText(ACTS.find((a) => `${a.caseId}-verdict` === document.documentId)!.text)] })));
  const acts = new ActsRepository(database);
  for (const act of ACTS) {
    const judgeId = act.courtId === 'court-1' ? 'judge-1' : 'judge-2';
    await acts.save({
      id: act.id,
      caseId: act.caseId,
      documentId: `${act.caseId}-verdict`,
      hearingId: null,
      courtId: act.courtId,
      judgeId,
      kind: 'verdict',
      outcome: act.outcome,
      actDate: act.date,
      articles: [act.article],
      articleKeys: `,${act.article},`,
      markedBy: judgeId,
      markedAt: T0,
    });
  }
  const service = new ActsService({ acts, cases: undefined as never, audit: undefined as never, now: () => T0 });
  assert.equal(await service.indexPending(), ACTS.length);
}

type Answer = { total: number; capped: boolean; hits: string[]; highlighted: string[] };

describe('the acts search on SQLite and on PostgreSQL', () => {
  const dialects = onBothDialects({ seed, make: (database) => new ActsRepository(database) });

  const outsider: Reader = { userId: 'outsider', courtWideId: null };
  /** The same search of both; each answer as the user sees it: which acts, read how, which words lit. */
  const search = async (reader: Reader, q: string, filters: ActFilters = {}, page = { limit: 20, offset: 0 }): Promise<[Answer, Answer]> => {
    const answers = await Promise.all(
      dialects.repositories.map(async (acts) => {
        const found = await acts.search(reader, parseActsQuery(q)!, filters, page);
        return {
          total: found.total,
          capped: found.capped,
          hits: found.hits.map((hit) => `${hit.act.id}${hit.entitled ? '' : ' (depersonalised)'}`),
          highlighted: [
            ...new Set(
              found.hits.flatMap((hit) =>
                snippetParts(hit.snippet)
                  .filter((p) => p.hit)
                  .map((p) => p.text.toLowerCase()),
              ),
            ),
          ].sort(),
        };
      }),
    );
    return answers as [Answer, Answer];
  };

  test('a Russian word is found by another form of it, newest first, the same on both', async () => {
    const [sqlite, postgres] = await search(outsider, 'кража');
    assert.deepEqual(sqlite.hits, ['act-4 (depersonalised)', 'act-2 (depersonalised)', 'act-1 (depersonalised)']);
    assert.equal(sqlite.total, 3);
    assert.deepEqual(postgres, sqlite);
    assert.deepEqual(sqlite.highlighted, ['кражи', 'кражу']);
  });

  test('a Kazakh word is found as written, and in another form', async () => {
    const [sqlite, postgres] = await search(outsider, 'ұрлық');
    assert.deepEqual(sqlite.hits, ['act-3 (depersonalised)']);
    assert.deepEqual(postgres, sqlite);
    const [declined, declinedPg] = await search(outsider, 'ұрлықты');
    assert.deepEqual(declined.hits, ['act-3 (depersonalised)']);
    assert.deepEqual(declinedPg, declined);
  });

  test('a key phrase: its words next to each other, in any order and any form', async () => {
    const [sqlite, postgres] = await search(outsider, '"лишение свободы"');
    assert.deepEqual(sqlite.hits, ['act-4 (depersonalised)', 'act-1 (depersonalised)']);
    assert.deepEqual(postgres, sqlite);
    const [three, threePg] = await search(outsider, '"лишения свободы сроком"');
    assert.deepEqual(three.hits, ['act-1 (depersonalised)']);
    assert.deepEqual(threePg, three);
    const [apart, apartPg] = await search(outsider, '"кража телефона"');
    assert.deepEqual(apart.hits, ['act-1 (depersonalised)']);
    assert.deepEqual(apartPg, apart);
    const [none, nonePg] = await search(outsider, '"телефона лишения"');
    assert.equal(none.total, 0);
    assert.deepEqual(nonePg, none);
  });

  test('a name finds its act only for readers entitled to the case, who read it as written', async () => {
    const [outside, outsidePg] = await search(outsider, 'Иванову');
    assert.equal(outside.total, 0);
    assert.deepEqual(outsidePg, outside);
    // The judge of court 1's cases, by assignment; the whole of court 2, by the court-wide tag; a party, by their case.
    for (const reader of [
      { userId: 'judge-1', courtWideId: null },
      { userId: 'outsider', courtWideId: 'court-1' },
    ]) {
      const [own, ownPg] = await search(reader, 'Иванову');
      assert.deepEqual(own.hits, ['act-1'], reader.userId);
      assert.deepEqual(ownPg, own);
    }
    const [party, partyPg] = await search({ userId: 'party-3', courtWideId: null }, 'Сериков');
    assert.deepEqual(party.hits, ['act-3']);
    assert.deepEqual(partyPg, party);
    const [mixed, mixedPg] = await search({ userId: 'judge-1', courtWideId: null }, 'приговор');
    assert.deepEqual(mixed.hits, ['act-4 (depersonalised)', 'act-2', 'act-1']);
    assert.deepEqual(mixedPg, mixed);
  });

  test('filters: court, article, date range, outcome, and a judge with no such acts', async () => {
    const cases: [ActFilters, string[]][] = [
      [{ courtId: 'court-2' }, ['act-4 (depersonalised)']],
      [{ article: '190' }, ['act-2 (depersonalised)']],
      [{ from: '2026-01-01', to: '2026-06-30' }, ['act-2 (depersonalised)']],
      [{ from: '2025-03-14', to: '2025-03-14' }, ['act-1 (depersonalised)']],
      [{ outcome: 'acquittal' }, ['act-2 (depersonalised)']],
      [{ judgeId: 'judge-2', article: '188' }, ['act-4 (depersonalised)']],
      [{ judgeId: 'nobody' }, []],
      [{ from: '2027-01-01', to: '2026-01-01' }, []],
    ];
    for (const [filters, expected] of cases) {
      const [sqlite, postgres] = await search(outsider, 'кража', filters);
      assert.deepEqual(sqlite.hits, expected, JSON.stringify(filters));
      assert.deepEqual(postgres, sqlite, JSON.stringify(filters));
    }
    const [own, ownPg] = await search({ userId: 'judge-1', courtWideId: null }, 'кража', { article: '188', from: '2025-01-01', to: '2025-12-31' });
    assert.deepEqual(own.hits, ['act-1']);
    assert.deepEqual(ownPg, own);
  });

  test('pages of the answer come in the same order on both', async () => {
    const [first, firstPg] = await search(outsider, 'приговор', {}, { limit: 2, offset: 0 });
    assert.deepEqual(first.hits, ['act-4 (depersonalised)', 'act-2 (depersonalised)']);
    assert.equal(first.total, 3);
    assert.deepEqual(firstPg, first);
    const [second, secondPg] = await search(outsider, 'приговор', {}, { limit: 2, offset: 2 });
    assert.deepEqual(second.hits, ['act-1 (depersonalised)']);
    assert.deepEqual(secondPg, second);
  });

  test('the act, its text and its listing read the same from both', async () => {
    const [sqlite, postgres] = dialects.repositories;
    for (const acts of dialects.repositories) {
      assert.equal(await acts.documentInCase('case-1', 'case-1-verdict'), true);
      assert.equal(await acts.documentInCase('case-2', 'case-1-verdict'), false);
      assert.equal(await acts.hearingInCase('case-1', 'no-hearing'), false);
      assert.deepEqual(await acts.pending(10), []);
    }
    const act = (await sqlite.get('act-1'))!;
    assert.deepEqual(await postgres.get('act-1'), act);
    assert.deepEqual(await postgres.caseFacts('case-3'), await sqlite.caseFacts('case-3'));
    assert.deepEqual(await postgres.listForCase('case-1'), await sqlite.listForCase('case-1'));
    for (const column of ['body', 'public_body'] as const) assert.equal(await postgres.text(act.textKey, column), await sqlite.text(act.textKey, column));
    const publicText = (await sqlite.text(act.textKey, 'public_body'))!;
    assert.doesNotMatch(publicText, /Иванов/);
    assert.match((await sqlite.text(act.textKey, 'body'))!, /Иванов Сергей Петрович/);
  });

  test('an act marked again is indexed again with its new facts, also when two index it at once', async () => {
    for (const [database, acts] of [
      [dialects.both.sqlite, dialects.repositories[0]],
      [dialects.both.postgres, dialects.repositories[1]],
    ] as const) {
      const act = (await acts.get('act-2'))!;
      const { textKey: _key, indexedAt: _at, ...facts } = act;
      await acts.save({ ...facts, outcome: 'conviction' });
      assert.deepEqual(await acts.pending(10), [{ id: 'act-2', textKey: act.textKey, caseId: 'case-2', documentId: 'case-2-verdict' }]);
      const texts = { body: (await acts.text(act.textKey, 'body'))!, publicBody: (await acts.text(act.textKey, 'public_body'))!, language: 'ru' as const };
      await Promise.all([acts.index(act, texts, T0), acts.index(act, texts, T0)]);
      assert.deepEqual(await acts.pending(10), [], database.dialect);
    }
    const [acquitted, acquittedPg] = await search(outsider, 'кража', { outcome: 'acquittal' });
    assert.equal(acquitted.total, 0);
    assert.deepEqual(acquittedPg, acquitted);
    const [convicted, convictedPg] = await search(outsider, 'кража', { outcome: 'conviction' });
    assert.deepEqual(convicted.hits, ['act-4 (depersonalised)', 'act-2 (depersonalised)', 'act-1 (depersonalised)']);
    assert.deepEqual(convictedPg, convicted);
  });
});
