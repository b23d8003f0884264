/**
 * Who may follow a hearing, and as what. The presiding judge and the secretary named on the
 * hearing; the prosecutors and defence lawyers of the case (participants linked to their
 * accounts); the court office and the chair of the court, read-only; and the wall screen of the
 * hall it is held in, read-only. Everyone else is refused with `forbidden`, audited — including
 * people who may read the case but have no part in the hearing (a victim with an account, a judge
 * of the case who does not preside). The case rules themselves are the cases service's.
 */
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { SessionUser } from '../auth/auth.service.ts';
import type { CasesService } from '../cases/cases.service.ts';
import { AppError } from '../shared/errors.ts';
import type { HearingRole } from '../shared/hearing/core.ts';
import type { HearingRecord, HearingsRepository } from './hearings.repository.ts';

export type HearingSeat = { role: HearingRole; participantId: string | null };

type Deps = { cases: CasesService; hearings: HearingsRepository; audit: AuditRepository };

export class HearingAccess {
  #deps: Deps;

  constructor(deps: Deps) {
    this.#deps = deps;
  }

  /** The user's seat in the hearing, or `forbidden` (audited as `hearing.join`). */
  async seatOf(user: SessionUser, hearing: HearingRecord, ip: string | null): Promise<HearingSeat> {
    if (user.id === hearing.presidingJudgeId) return { role: 'presiding_judge', participantId: null };
    if (user.id === hearing.secretaryId) return { role: 'secretary', participantId: null };
    if (user.roles.includes('hall_display') && (await this.#deps.hearings.displayedHall(user.id)) === hearing.hallId) {
      return { role: 'hall_display', participantId: null };
    }
    const relations = await this.#deps.cases.requireAccess(user, hearing.caseId, 'hearing.join', ip);
    for (const role of ['prosecutor', 'defender'] as const) {
      const party = relations.find((r) => r.kind === 'participant' && r.role === role);
      if (party && party.kind === 'participant') return { role, participantId: party.participantId };
    }
    if (relations.some((r) => r.kind === 'court')) return { role: 'court', participantId: null };
    await this.#deps.audit.record({
      userId: user.id,
      actor: user.username,
      action: 'hearing.join',
      outcome: 'denied',
      caseId: hearing.caseId,
      target: hearing.id,
      ip,
      details: { reason: 'no_part_in_hearing' },
    });
    throw new AppError('forbidden', 'You have no part in this hearing');
  }
}
