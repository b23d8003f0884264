/**
 * What a hearing's event does to its case's status. The case is `received` from the ERDR
 * handover; the first hearing opened puts it `in_trial`; a hearing suspended (CPC RK art. 45: the
 * defendant absconded or gravely ill, abroad, force majeure, legal aid abroad, a question to the
 * Constitutional Court) suspends it, with the court's reason; the next hearing opened resumes it
 * (`in_trial` again: a new sitting is scheduled once the grounds are gone); a hearing that ends —
 * which it does only after the announcement, of the verdict or of the decision that ends the case
 * (hearing-rules.ts, `end`) — closes it. An adjournment or a break changes nothing: the case stays
 * in trial. A closed case stays closed whatever a hearing still does.
 *
 * Pure, so the rule is tested without a database; `case-status.service.ts` writes what it decides.
 */
import type { CaseStatus } from '../../../db/schema.ts';
import type { HearingEventBody } from '../shared/hearing/state.ts';
import type { CaseStatusChangeKind } from '../shared/api/cases.ts';

export type CaseStatusChange = { to: CaseStatus; reason: string | null };

export function caseStatusChange(current: CaseStatus, event: HearingEventBody): CaseStatusChange | null {
  if (current === 'closed') return null;
  switch (event.type) {
    case 'hearing.opened':
      return current === 'in_trial' ? null : { to: 'in_trial', reason: null };
    case 'hearing.suspended':
      return current === 'suspended' ? null : { to: 'suspended', reason: event.payload.reason };
    case 'hearing.ended':
      return { to: 'closed', reason: null };
    default:
      return null;
  }
}

export function changeKind(from: CaseStatus, to: CaseStatus): CaseStatusChangeKind {
  if (to === 'closed') return 'closed';
  if (to === 'suspended') return 'suspended';
  return from === 'suspended' ? 'resumed' : 'trial_started';
}
