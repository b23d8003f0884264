import assert from 'node:assert/strict';
import { test } from 'node:test';
import { storageFailureKind, storageUnavailable } from './storage-failure.ts';

const withCode = (code: string) => Object.assign(new Error(code), { code });

test('the disk refusing a write, from the file system or from SQLite, is told apart from any other error', () => {
  for (const code of ['ENOSPC', 'EDQUOT', 'SQLITE_FULL']) assert.equal(storageFailureKind(withCode(code)), 'disk_full', code);
  for (const code of ['EROFS', 'EIO', 'SQLITE_READONLY', 'SQLITE_READONLY_DBMOVED', 'SQLITE_IOERR', 'SQLITE_IOERR_WRITE', 'SQLITE_IOERR_FSYNC'])
    assert.equal(storageFailureKind(withCode(code)), 'not_writable', code);
  for (const error of [withCode('ENOENT'), withCode('SQLITE_CONSTRAINT'), withCode('SQLITE_FULLX'), new Error('x'), null, 'ENOSPC']) assert.equal(storageFailureKind(error), null, String(error));
});

test('clients see storage_unavailable (503), not internal', () => {
  const refusal = storageUnavailable(withCode('SQLITE_FULL'));
  assert.equal(refusal?.code, 'storage_unavailable');
  assert.equal(refusal?.statusCode, 503);
  assert.equal(storageUnavailable(new Error('bug')), undefined);
});
