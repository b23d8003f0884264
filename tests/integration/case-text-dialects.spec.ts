/**
 * The case file's search on both dialects (issue 20): the same pages written through
 * CaseTextRepository into SQLite's FTS5 table and PostgreSQL's tsvector table are found by the same
 * queries with the same counts, in the same case-file order, with the same words highlighted. A
 * Russian word is found in another form of it; a Kazakh word as written.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Database } from '../../db/database.ts';
import { snippetParts } from '../../server/src/case-text/case-search.service.ts';
import { CaseTextRepository, type ExtractedText } from '../../server/src/case-text/case-text.repository.ts';
import { parseSearchQuery, searchableText } from '../../server/src/case-text/search-text.ts';
import { onBothDialects, seedCase, seedCourt, seedVolume } from '../helpers/both-dialects.ts';

/** Case «ru»: two volumes; case «kk»: one. Each document's pages, in order (empty: a scan without text). */
const PAGES: Record<string, string[]> = {
  'ru-a': ['Протокол осмотра места происшествия', 'Похищен телефон Samsung у потерпевшего Ахметова'],
  'ru-b': ['Заключение эксперта: кража телефона подтверждена', ''],
  'ru-c': ['Показания свидетеля: кражи не видел, телефона при нём не было', 'Ёмкость для хранения вещественных доказательств'],
  'kk-a': ['Қылмыстық іс бойынша айыптау актісі', 'Ұрлық туралы куәгердің жауабы'],
  'kk-b': ['Сотталушының ұрлығы дәлелденді', 'Жәбірленушінің телефоны қайтарылды'],
};

async function seed(database: Database): Promise<void> {
  await database.transaction(async () => {
    await seedCourt(database, { id: 'court-1', code: 'C1' });
    await seedCase(database, { id: 'ru', courtId: 'court-1', language: 'ru' });
    await seedCase(database, { id: 'kk', courtId: 'court-1', language: 'kk' });
    await seedCase(database, { id: 'empty', courtId: 'court-1', language: 'ru' });
    await seedVolume(database, 'ru', 1, [
      { id: 'ru-a', sheets: 2 },
      { id: 'ru-b', sheets: 2 },
    ]);
    await seedVolume(database, 'ru', 2, [
      { id: 'ru-c', sheets: 2 },
      { id: 'ru-broken', sheets: 1 },
    ]);
    await seedVolume(database, 'kk', 1, [
      { id: 'kk-a', sheets: 2 },
      { id: 'kk-b', sheets: 2 },
    ]);
  });
}

/** What the indexer would write: every pending document's pages (one unreadable). */
async function index(texts: CaseTextRepository): Promise<void> {
  const pending = await texts.pending(100);
  const results: ExtractedText[] = pending.map((document) =>
    document.documentId === 'ru-broken' ? { ...document, ok: false, error: 'not a PDF' } : { ...document, ok: true, pages: PAGES[document.documentId]!.map(searchableText) },
  );
  await texts.save(results);
}

type Answer = { total: number; pages: string[]; highlighted: string[] };

describe('the case file search on SQLite and on PostgreSQL', () => {
  const dialects = onBothDialects({ seed, make: (database) => new CaseTextRepository(database) });

  /** The same search of both; each answer as the user sees it: which pages, which words lit. */
  const search = async (caseId: string, q: string, limit = 50, offset = 0): Promise<[Answer, Answer]> => {
    const answers = await Promise.all(
      dialects.repositories.map(async (texts) => {
        const { total, matches } = await texts.search(caseId, parseSearchQuery(q)!, limit, offset);
        return {
          total,
          pages: matches.map((m) => `${m.documentId}:${m.page} (${m.volume}/${m.sheet})`),
          highlighted: matches.flatMap((m) =>
            snippetParts(m.snippet)
              .filter((p) => p.hit)
              .map((p) => p.text.toLowerCase()),
          ),
        };
      }),
    );
    return answers as [Answer, Answer];
  };

  before(async () => {
    for (const texts of dialects.repositories) await index(texts);
  });

  test('what is left to index, and the coverage, are the same', async () => {
    for (const texts of dialects.repositories) {
      assert.deepEqual(await texts.pending(10), []);
      assert.deepEqual(await texts.coverage('ru'), { documents: 4, indexed: 3, failed: 1 });
      assert.deepEqual(await texts.coverage('kk'), { documents: 2, indexed: 2, failed: 0 });
    }
  });

  test('a Russian word is found by another form of it, in case-file order, on both', async () => {
    const [sqlite, postgres] = await search('ru', 'кражу');
    assert.deepEqual(sqlite.pages, ['ru-b:1 (1/3)', 'ru-c:1 (2/1)']);
    assert.equal(sqlite.total, 2);
    assert.deepEqual(postgres, sqlite);
    assert.deepEqual(sqlite.highlighted, ['кража', 'кражи']);
  });

  test('all words are required, and a surname is found in another case form', async () => {
    const [sqlite, postgres] = await search('ru', 'телефон кражи');
    assert.deepEqual(sqlite.pages, ['ru-b:1 (1/3)', 'ru-c:1 (2/1)']);
    assert.deepEqual(postgres, sqlite);
    const [byName, byNamePg] = await search('ru', 'Ахметову');
    assert.deepEqual(byName.pages, ['ru-a:2 (1/2)']);
    assert.deepEqual(byNamePg, byName);
  });

  test('ё and е are one letter, in the text and in the query', async () => {
    const [sqlite, postgres] = await search('ru', 'ёмкость');
    assert.deepEqual(sqlite.pages, ['ru-c:2 (2/2)']);
    assert.deepEqual(postgres, sqlite);
  });

  test('a Kazakh word is found as written, and only in its own case', async () => {
    const [sqlite, postgres] = await search('kk', 'ұрлық');
    assert.deepEqual(sqlite.pages, ['kk-a:2 (1/2)']);
    assert.deepEqual(postgres, sqlite);
    const [other, otherPg] = await search('kk', 'ұрлығы');
    assert.deepEqual(other.pages, ['kk-b:1 (1/3)']);
    assert.deepEqual(otherPg, other);
    const [elsewhere, elsewherePg] = await search('ru', 'ұрлық');
    assert.equal(elsewhere.total, 0);
    assert.deepEqual(elsewherePg, elsewhere);
  });

  test('pages of a long answer come in the same order, page by page', async () => {
    const [all, allPg] = await search('ru', 'телефон');
    assert.equal(all.total, 3);
    assert.deepEqual(allPg, all);
    const [second, secondPg] = await search('ru', 'телефон', 1, 1);
    assert.deepEqual(second.pages, [all.pages[1]]);
    assert.equal(second.total, 3);
    assert.deepEqual(secondPg, second);
    const [past, pastPg] = await search('ru', 'телефон', 10, 5);
    assert.deepEqual(past, { total: 3, pages: [], highlighted: [] });
    assert.deepEqual(pastPg, past);
  });

  test('query syntax in the input is searched as words, never obeyed; a case with no text finds nothing', async () => {
    // (Not OR, AND, NOT: PostgreSQL's Russian configuration drops English stop words from a query, see full-text.ts.)
    for (const q of ['кража" NEAR "*', "телефон' | 'кража", 'NEAR(кража', 'кража:*', 'a\\b']) {
      const [sqlite, postgres] = await search('ru', q);
      assert.deepEqual(postgres, sqlite, q);
    }
    const [none, nonePg] = await search('empty', 'телефон');
    assert.deepEqual(none, { total: 0, pages: [], highlighted: [] });
    assert.deepEqual(nonePg, none);
  });

  test('a snippet says where text was left out, on both', async () => {
    const long = `${'начало '.repeat(30)}кража ${'конец '.repeat(30)}`.trim();
    for (const texts of dialects.repositories) {
      const [document] = [{ documentId: 'ru-a', caseId: 'ru', sha256: '', volume: 1, sheetFrom: 1, sheetTo: 2 }];
      await texts.save([{ ...document, ok: true, pages: [long, PAGES['ru-a']![1]!] }]);
      const { matches } = await texts.search('ru', parseSearchQuery('кража')!, 1, 0);
      assert.match(matches[0]!.snippet, /^….*\u0001кража\u0002.*…$/s);
      // Written back as it was: a document indexed again replaces its pages.
      await texts.save([{ ...document, ok: true, pages: PAGES['ru-a']! }]);
      assert.equal((await texts.search('ru', parseSearchQuery('начало')!, 10, 0)).total, 0);
    }
  });
});
