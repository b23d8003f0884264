/**
 * E-case intake on both dialects (issue 20): the contract's sample package (shared/ecase-package)
 * goes through the same intake code — setUpIntake, validation, the import's one transaction — into
 * the SQLite file and into a private PostgreSQL, each loaded with the demo court by the same
 * loadDemoData. What each stored must be the same: the case's numbers, its volumes, its documents
 * in sheet order with their files (inline bytes come back byte for byte from a BLOB and a bytea),
 * its signatures, verified again over the stored bytes, and the ingestion log.
 *
 * On PostgreSQL two nodes (two pools) also load the demo data and import the same package at the
 * same moment: one of each does the work, the other finds it done, and neither fails.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { openPostgresDb, openSqliteDb, type Database } from '../../db/database.ts';
import { DEMO_COURT_CODE, loadDemoData } from '../../db/demo.ts';
import { loadConfig } from '../../server/src/config.ts';
import { recoverStorage, setUpIntake, type Intake } from '../../server/src/ecases/intake.setup.ts';
import { inventoryOf } from '../../server/src/ecases/inventory.ts';
import { verifyCaseFiles } from '../../server/src/ecases/verification.ts';
import type { AcceptedBody, Inventory } from '../../server/src/shared/api/ecases.ts';
import { startPrivatePostgres, type PrivatePostgres } from '../helpers/postgres.ts';
import { ECASE_PACKAGE_DIR } from '../helpers/shared-material.ts';

const SAMPLE = path.join(ECASE_PACKAGE_DIR, 'samples', 'valid-small.zip');
const SAMPLE_ROOT = path.join(ECASE_PACKAGE_DIR, 'test-ca', 'root.pem');
const NOW = new Date('2026-12-01T05:00:00Z');

type Node = { database: Database; intake: Intake };

/** An intake on `database` with its own DATA_DIR (file store, staging), trusting the sample's CA. */
async function intakeOn(database: Database, dataDir: string): Promise<Intake> {
  const config = loadConfig({ DATA_DIR: dataDir, ECASE_TRUST_ROOTS: SAMPLE_ROOT, EZAL_DEMO: '0' });
  return setUpIntake(config, database);
}

const ingest = (intake: Intake, via = 'test') => intake.service.ingest({ source: SAMPLE, via, archiveBytes: fs.statSync(SAMPLE).size });

/** The inventory without what is made fresh by each database (ids, times): what both must agree on. */
function comparable(inventory: Inventory) {
  return {
    package: inventory.package && { ...inventory.package, acceptedAt: typeof inventory.package.acceptedAt },
    volumes: inventory.volumes.map((v) => ({
      ...v,
      documents: v.documents.map(({ id: _id, signatures, ...d }) => ({ ...d, signatures: signatures.map((s) => ({ ...s, verifiedAt: typeof s.verifiedAt })) })),
    })),
    materialEvidence: inventory.materialEvidence,
  };
}

describe('e-case intake on SQLite and on PostgreSQL', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-ecases-dialects-'));
  let cluster: PrivatePostgres;
  let sqlite: Node;
  let postgres: Node;
  /** A second PostgreSQL node: its own pool on the same database, its own DATA_DIR. */
  let postgresB: Node;
  const accepted = new Map<string, AcceptedBody>();

  before(async () => {
    cluster = await startPrivatePostgres();
    const sqliteDb = openSqliteDb(path.join(tmp, 'sqlite'));
    const [pgA, pgB] = await Promise.all([openPostgresDb(cluster.url, { poolSize: 4 }), openPostgresDb(cluster.url, { poolSize: 4 })]);
    sqlite = { database: sqliteDb, intake: await intakeOn(sqliteDb, path.join(tmp, 'sqlite')) };
    postgres = { database: pgA, intake: await intakeOn(pgA, path.join(tmp, 'pg-a')) };
    postgresB = { database: pgB, intake: await intakeOn(pgB, path.join(tmp, 'pg-b')) };
  });
  after(async () => {
    await sqlite?.database.close();
    await postgres?.database.close();
    await postgresB?.database.close();
    cluster?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('the demo court loads once: twice in a row on SQLite, from two nodes at once on PostgreSQL', async () => {
    assert.equal(await loadDemoData(sqlite.database, { now: NOW }), true);
    assert.equal(await loadDemoData(sqlite.database, { now: NOW }), false, 'loading twice changes nothing');
    const both = await Promise.all([loadDemoData(postgres.database, { now: NOW }), loadDemoData(postgresB.database, { now: NOW })]);
    assert.deepEqual(
      both.toSorted((a, b) => Number(a) - Number(b)),
      [false, true],
      'one node loads, the other finds it loaded',
    );
    for (const { database } of [sqlite, postgres]) {
      const { courts, users } = database.tables;
      assert.equal((await database.db.select().from(courts).where(eq(courts.code, DEMO_COURT_CODE))).length, 1, database.dialect);
      assert.equal((await database.db.select({ id: users.id }).from(users)).length, 11, `${database.dialect}: every demo user once`);
    }
  });

  test('the sample package is accepted on both with the same numbers', async () => {
    for (const node of [sqlite, postgres]) {
      const answer = await ingest(node.intake);
      assert.equal(answer.httpStatus, 201, `${node.database.dialect}: ${JSON.stringify(answer.body)}`);
      assert.equal(answer.body.status, 'accepted');
      accepted.set(node.database.dialect, answer.body as AcceptedBody);
    }
    const [onSqlite, onPostgres] = [accepted.get('sqlite')!, accepted.get('postgres')!];
    assert.deepEqual({ ...onPostgres, caseId: '' }, { ...onSqlite, caseId: '' });
    assert.equal(onSqlite.caseNumber, '7511-26-00-1/246', 'numbered after the demo case, in the court year of the import');
    assert.deepEqual([onSqlite.volumes, onSqlite.documents, typeof onSqlite.sheets], [2, 9, 'number']);
  });

  test('volumes, documents in sheet order, files and signatures: the same on both', async () => {
    const [onSqlite, onPostgres] = await Promise.all([
      inventoryOf(sqlite.intake.repository, accepted.get('sqlite')!.caseId),
      inventoryOf(postgres.intake.repository, accepted.get('postgres')!.caseId),
    ]);
    assert.deepEqual(comparable(onPostgres), comparable(onSqlite));
    // Sheet order: within each volume, the documents' sheets run on without a gap or an overlap.
    for (const volume of onSqlite.volumes) {
      let next = 1;
      for (const d of volume.documents.filter((d) => d.sheetFrom !== null)) {
        assert.equal(d.sheetFrom, next, `volume ${volume.number}, ${d.sourceId}`);
        next = d.sheetTo! + 1;
      }
      assert.equal(next - 1, volume.sheets, `volume ${volume.number} ends on its last sheet`);
    }
    const signed = onSqlite.volumes.flatMap((v) => v.documents).filter((d) => d.signatures.length > 0);
    assert.deepEqual(
      signed.map((d) => d.sourceId),
      ['d1', 'd3', 'd5', 'd7'],
    );
    // Every stored file reads back byte for byte: inline from the row (BLOB, bytea) or from the store.
    for (const { intake, caseId } of [
      { intake: sqlite.intake, caseId: accepted.get('sqlite')!.caseId },
      { intake: postgres.intake, caseId: accepted.get('postgres')!.caseId },
    ]) {
      for (const { document } of await intake.repository.documentsOf(caseId)) {
        const stored = await intake.files.open(document.fileSha256);
        assert.ok(stored, document.sourceId);
        assert.equal(stored.size, document.size);
        const bytes = Buffer.concat(await (await intake.files.stream(stored)).toArray());
        assert.equal(bytes.length, document.size, `${document.sourceId} read back whole`);
      }
    }
  });

  test('verification hashes every stored file again and verifies every signature, on both', async () => {
    for (const node of [sqlite, postgres]) {
      const verdict = await verifyCaseFiles(node.intake, accepted.get(node.database.dialect)!.caseId, NOW);
      assert.equal(verdict.ok, true, `${node.database.dialect}: ${JSON.stringify(verdict)}`);
      assert.equal(verdict.manifest?.signatureOk, true);
      assert.equal(verdict.documents.length, 9);
      assert.equal(verdict.documents.flatMap((d) => d.signatures).filter((s) => s.ok).length, 4);
    }
  });

  test('the same package again: the case it made, logged as already accepted; nothing is swept', async () => {
    for (const node of [sqlite, postgres]) {
      const answer = await ingest(node.intake);
      assert.equal(answer.httpStatus, 200, node.database.dialect);
      assert.equal((answer.body as AcceptedBody).caseId, accepted.get(node.database.dialect)!.caseId);
      const log = await node.intake.repository.ingestionLog('7511', { limit: 10 });
      assert.deepEqual(
        log.map((entry) => entry.outcome),
        ['already_accepted', 'accepted'],
        node.database.dialect,
      );
      assert.deepEqual(await recoverStorage(node.intake), { stagingFolders: 0, orphanFiles: 0 }, `${node.database.dialect}: every stored file is claimed`);
    }
  });

  test('PostgreSQL: two nodes import one new package at the same moment; one case, and neither fails', async () => {
    // A fresh court database would need a fresh cluster; instead the case goes, and both nodes import it again.
    const caseId = accepted.get('postgres')!.caseId;
    await removeCase(postgres.database, caseId);
    const answers = await Promise.all([ingest(postgres.intake, 'node-a'), ingest(postgresB.intake, 'node-b')]);
    assert.deepEqual(answers.map((a) => a.httpStatus).toSorted(), [200, 201], JSON.stringify(answers.map((a) => a.body)));
    const [a, b] = answers.map((answer) => (answer.body as AcceptedBody).caseId);
    assert.equal(a, b, 'both answer with the one case');
    const { cases } = postgres.database.tables;
    assert.equal((await postgres.database.db.select({ id: cases.id }).from(cases).where(eq(cases.erdrNumber, '241500059705605'))).length, 1);
    assert.equal((await verifyCaseFiles(postgresB.intake, a, NOW)).ok, true, 'node B verifies what node A may have stored');
  });
});

/** Removes an imported case and what it brought (not the demo data), so the same package can come again. */
async function removeCase(database: Database, caseId: string): Promise<void> {
  const { caseParticipants, casePackages, cases, documents, documentSignatures, ingestions, materialEvidence, volumes } = database.tables;
  await database.transaction(async () => {
    const documentIds = (await database.db.select({ id: documents.id }).from(documents).where(eq(documents.caseId, caseId))).map((d) => d.id);
    for (const id of documentIds) await database.db.delete(documentSignatures).where(eq(documentSignatures.documentId, id));
    await database.db.delete(casePackages).where(eq(casePackages.caseId, caseId));
    await database.db.delete(documents).where(eq(documents.caseId, caseId));
    await database.db.delete(volumes).where(eq(volumes.caseId, caseId));
    await database.db.delete(materialEvidence).where(eq(materialEvidence.caseId, caseId));
    await database.db.delete(caseParticipants).where(eq(caseParticipants.caseId, caseId));
    await database.db.update(ingestions).set({ caseId: null }).where(eq(ingestions.caseId, caseId));
    await database.db.delete(cases).where(eq(cases.id, caseId));
  });
}
