import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_DEADLINE_RULES } from './deadline-rules.ts';
import { courtTime, situationCsvRow, type ExportCase } from './situation-csv.ts';

const kase: ExportCase = {
  id: 'c1',
  caseNumber: 'FIX-S',
  category: 'crime',
  status: 'suspended',
  receivedAt: '2026-01-10T19:30:00.000Z',
  suspendedAt: '2026-03-31T19:00:00.000Z',
  judge: { id: 'j', fullName: 'Судья Игрек' },
  deadline: { rule: 'first_hearing', due: '2026-01-31' },
  timezone: 'Asia/Almaty',
};

test('courtTime: the court clock, across the local midnight', () => {
  assert.equal(courtTime('2026-03-31T18:59:00.000Z', 'Asia/Almaty'), '2026-03-31 23:59');
  assert.equal(courtTime('2026-03-31T19:00:00.000Z', 'Asia/Almaty'), '2026-04-01 00:00');
});

test('situationCsvRow: local dates and times, values in the requester language', () => {
  assert.deepEqual(situationCsvRow(kase, 'ru', DEFAULT_DEADLINE_RULES), [
    'FIX-S',
    'Преступление',
    'Приостановлено',
    '2026-01-11 00:30',
    '2026-04-01 00:00',
    'Судья Игрек',
    'От поступления дела до первого заседания',
    '2026-01-31',
  ]);
  assert.deepEqual(situationCsvRow({ ...kase, category: 'misdemeanor', status: 'in_trial', suspendedAt: null }, 'kk', DEFAULT_DEADLINE_RULES).slice(1, 7), [
    'Қылмыстық теріс қылық',
    'Қаралуда',
    '2026-01-11 00:30',
    null,
    'Судья Игрек',
    'Істі қабылдаудан бірінші отырысқа дейін',
  ]);
  const en = situationCsvRow({ ...kase, deadline: undefined }, 'en', DEFAULT_DEADLINE_RULES);
  assert.deepEqual([en[1], en[2], en[6], en[7]], ['Crime', 'Suspended', null, null]);
});
