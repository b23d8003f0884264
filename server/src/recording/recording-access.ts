/**
 * Who may hear and see a hearing's recording. A closed hearing: only those with a seat in it
 * (the court — presiding judge, secretary, office, chair — and the parties' prosecutors and
 * lawyers); an open one: anyone the case rules let read the case. Never the hall's wall screen
 * (cases/wall-screen.ts).
 * Copies and verification are for those with a seat (the parties and the court). Every refusal
 * and every grant is audited here, so the routes cannot forget it.
 */
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { SessionUser } from '../auth/auth.service.ts';
import type { CasesService } from '../cases/cases.service.ts';
import { isWallScreen } from '../cases/wall-screen.ts';
import type { HearingAccess } from '../hearings/hearing-access.ts';
import type { HearingRecord, HearingsRepository } from '../hearings/hearings.repository.ts';
import { AppError } from '../shared/errors.ts';

type Deps = { hearings: HearingsRepository; access: HearingAccess; cases: CasesService; audit: AuditRepository };

export type RecordingAction = 'recording.open' | 'recording.verify' | 'recording.export';

export class RecordingAccess {
  #deps: Deps;

  constructor(deps: Deps) {
    this.#deps = deps;
  }

  /**
   * The hearing, when `user` may do `action` on its recording; throws `not_found` / `forbidden`.
   * `audit: false` checks without writing a line (the many segment requests of one playback,
   * whose opening was audited).
   */
  async allow(user: SessionUser, hearingId: string, action: RecordingAction, ip: string | null, audit = true, details?: Record<string, unknown>): Promise<HearingRecord> {
    const hearing = await this.#deps.hearings.find(hearingId);
    if (!hearing) throw new AppError('not_found', 'No such hearing');
    if (isWallScreen(user)) {
      await this.#record(user, hearing, action, 'denied', ip, { reason: 'wall_screen' });
      throw new AppError('forbidden', 'The hall display does not play recordings');
    }
    const needsSeat = hearing.closed || action !== 'recording.open';
    if (needsSeat) await this.#deps.access.seatOf(user, hearing, ip);
    else if (user.id !== hearing.presidingJudgeId && user.id !== hearing.secretaryId) await this.#deps.cases.requireAccess(user, hearing.caseId, action, ip);
    if (audit) await this.#record(user, hearing, action, 'allowed', ip, details);
    return hearing;
  }

  async #record(user: SessionUser, hearing: HearingRecord, action: string, outcome: 'allowed' | 'denied', ip: string | null, details?: Record<string, unknown>): Promise<void> {
    await this.#deps.audit.record({ userId: user.id, actor: user.username, action, outcome, caseId: hearing.caseId, target: hearing.id, ip, details });
  }
}
