/**
 * Depersonalisation of everyone an act names, through the real server: a case
 * arrives from the ERDR with a verdict that names a non-participant in full, a relative by first
 * name next to the defendant, car plates and a Kazakh address; its judge marks the verdict; a judge
 * not entitled to the case finds the act by what it says but never by those people or data, and
 * reads it with pseudonyms. The judge of the case still finds and reads it as written.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EcaseBuilder, makeTestPki } from '../helpers/ecase-builder.ts';
import { ingestAsOffice, linkDemoProsecutor } from '../helpers/ingest.ts';
import { ApiClient, startTestServer, type TestServer } from '../helpers/server.ts';
import { sqlOf } from '../helpers/sql.ts';

/** The verdict's page: none of these people is a participant of the built case. */
const VERDICT = [
  'ПРИГОВОР',
  'Сарыаркинский районный суд г. Астаны',
  'рассмотрел дело о краже.',
  'Свидетель Лапина Вера Михайловна показала,',
  'что подсудимый уехал на автомобиле 777 KZA 02.',
  'Показания Лапиной В. М. последовательны.',
  'Брат подсудимого Руслан пояснил,',
  'что машина 045 AAA 05 принадлежит отцу.',
  'Куә Жақсылықов Дәурен Серғазыұлы',
  'Тәуке хан даңғылы 5 мекенжайында тұрады.',
  'Суд приговорил к лишению свободы.',
];

describe('judicial acts: everyone the act names is depersonalised for readers not entitled to it', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-acts-dep-'));
  let server: TestServer;
  const clients = new Map<string, ApiClient>();
  let actId: string;

  const as = (username: string) => clients.get(username)!;
  const total = async (username: string, q: string) => {
    const answer = await as(username).get(`/api/acts/search?q=${encodeURIComponent(q)}`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body.total as number;
  };

  before(async () => {
    const pki = await makeTestPki();
    fs.writeFileSync(path.join(dir, 'root.pem'), pki.root.pem);
    server = await startTestServer({ ECASE_TRUST_ROOTS: path.join(dir, 'root.pem') });
    for (const username of ['judge', 'judge2']) {
      const client = new ApiClient(server.url);
      await client.login(username);
      clients.set(username, client);
    }
    const builder = linkDemoProsecutor(await EcaseBuilder.create(pki, { volumes: 1, documentsPerVolume: 2, pages: () => 1, media: false, pageText: (_v, i) => (i === 1 ? VERDICT : null) }));
    const { caseId } = await ingestAsOffice(server.url, await builder.writeZip(path.join(dir, 'case.zip')));
    await server.textIndex.idle();
    // The case's judge: the demo judge, assigned as scheduling would.
    const db = sqlOf(server);
    const judgeId = (await db.one<{ id: string }>("select id from users where username = 'judge'"))!.id;
    await db.run("insert into case_staff (case_id, user_id, role, assigned_at) values (?, ?, 'judge', ?)", caseId, judgeId, new Date());
    const inventory = (await as('judge').get(`/api/cases/${caseId}/inventory`)).body;
    const verdict = inventory.volumes[0].documents.filter((d: { kind: string }) => d.kind !== 'media')[1];
    const marked = await as('judge').post(`/api/cases/${caseId}/acts`, { documentId: verdict.id, kind: 'verdict', outcome: 'conviction', date: '2026-11-20' });
    assert.equal(marked.status, 201, JSON.stringify(marked.body));
    assert.equal(marked.body.act.indexed, true);
    actId = marked.body.act.id;
  });
  after(async () => {
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a non-party judge finds the act by its words, never by a name, plate or address in it', async () => {
    assert.equal(await total('judge2', '"лишению свободы" Сарыаркинский'), 1);
    for (const q of ['Лапина', 'Лапиной', 'Михайловна', 'Руслан', 'Жақсылықов', 'Дәурен', '777 KZA 02', 'KZA', '045 AAA', 'Тәуке хан']) {
      assert.equal(await total('judge2', q), 0, `judge2 searching ${q}`);
    }
    const text = (await as('judge2').get(`/api/acts/${actId}/text`)).body;
    assert.equal(text.depersonalised, true);
    assert.match(text.text, /Свидетель Лицо 1 показала,\nчто подсудимый уехал на автомобиле \[госномер\]/);
    assert.match(text.text, /Показания Лицо 1 последовательны/);
    assert.match(text.text, /Брат подсудимого Лицо 2 пояснил,\nчто машина \[госномер\]/);
    assert.match(text.text, /Куә Лицо 3\n\[адрес\] мекенжайында/);
    assert.match(text.text, /Сарыаркинский районный суд г\. Астаны/);
  });

  test('the judge of the case finds it by those names and reads it as written', async () => {
    assert.equal(await total('judge', 'Лапина'), 1);
    const text = (await as('judge').get(`/api/acts/${actId}/text`)).body;
    assert.equal(text.depersonalised, false);
    assert.match(text.text, /Лапина Вера Михайловна/);
  });
});
