/** What the scheduling tests share: court dates, and the demo case's halls, staff and participants. */
import assert from 'node:assert/strict';
import { toZonedTime } from '../../server/src/shared/court-time.ts';
import type { ApiClient } from './server.ts';

/** The date `days` from today on an Almaty court's calendar, as the schedule form sends it. */
export function courtDate(days: number, now = new Date()): string {
  const l = toZonedTime('Asia/Almaty', new Date(now.getTime() + days * 86_400_000));
  return `${l.year}-${String(l.month).padStart(2, '0')}-${String(l.day).padStart(2, '0')}`;
}

export type DemoCase = {
  caseId: string;
  hall: (code: string) => string;
  judgeId: string;
  secretaryId: string;
  judge2Id: string;
  participant: (role: string) => string;
};

/** The demo case as the court office's schedule form sees it. */
export async function demoCase(office: ApiClient): Promise<DemoCase> {
  const cases = await office.get('/api/cases');
  const caseId: string = cases.body.cases.find((c: { caseNumber: string }) => c.caseNumber === '7511-26-00-1/245').id;
  const { status, body } = await office.get(`/api/cases/${caseId}/hearing-options`);
  assert.equal(status, 200, JSON.stringify(body));
  type Option = { id: string; code?: string; fullName?: string; role?: string };
  const find = (list: Option[], match: (item: Option) => boolean, what: string) => {
    const item = list.find(match);
    assert.ok(item, `no ${what} in the form's options`);
    return item.id;
  };
  return {
    caseId,
    hall: (code) => find(body.halls, (h) => h.code === code, `hall ${code}`),
    judgeId: body.defaults.presidingJudgeId,
    secretaryId: body.defaults.secretaryId,
    judge2Id: find(body.judges, (j) => j.fullName === 'Нурланов Асхат Болатович', 'judge2'),
    participant: (role) => find(body.participants, (p) => p.role === role, role),
  };
}
