/**
 * Who may see which case. The rule (Instruction on e-criminal proceedings, items 26–33): a person
 * sees only the cases in which they have a procedural status or are assigned as court staff; the
 * court office and the court chair see the cases of their own court. Every refusal is audited.
 */
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { SessionUser } from '../auth/auth.service.ts';
import { AppError } from '../shared/errors.ts';
import type { CaseRelation, CasesRepository, Viewer } from './cases.repository.ts';
import type { CaseDetail, CaseSummary, HearingWithCase } from '../shared/api/cases.ts';
import { displayMayRead, isWallScreen, refuseWallScreen } from './wall-screen.ts';

type Deps = { cases: CasesRepository; audit: AuditRepository };

export class CasesService {
  #deps: Deps;

  constructor(deps: Deps) {
    this.#deps = deps;
  }

  async list(user: SessionUser): Promise<CaseSummary[]> {
    return this.#deps.cases.listVisible(viewerOf(user));
  }

  async upcomingHearings(user: SessionUser, from: Date): Promise<HearingWithCase[]> {
    return this.#deps.cases.hearingsVisible(viewerOf(user), from);
  }

  async get(user: SessionUser, caseId: string, ip: string | null): Promise<CaseDetail & { myRelations: CaseRelation[] }> {
    const myRelations = await this.requireAccess(user, caseId, 'case.read', ip);
    const detail = await this.#deps.cases.detail(caseId);
    if (!detail) throw new AppError('not_found', 'No such case');
    return { ...detail, myRelations };
  }

  /**
   * Whether the user is entitled to the case (has any relation to it), without refusing or
   * auditing: for answers that differ by entitlement, such as a judicial act shown as written or
   * depersonalised (server/src/acts).
   */
  async isEntitled(user: SessionUser, caseId: string): Promise<boolean> {
    if (isWallScreen(user)) return false;
    return (await this.#deps.cases.relations({ ...viewerOf(user), roles: user.roles }, caseId)).length > 0;
  }

  /**
   * Returns the user's relations to the case, or throws: `not_found` when there is no such case,
   * `forbidden` (and an audit entry) when the user has no relation to it. A hall's wall screen
   * reads only what it shows (wall-screen.ts): `documentId` names the document a read is for.
   */
  async requireAccess(user: SessionUser, caseId: string, action: string, ip: string | null, target?: { documentId: string }): Promise<CaseRelation[]> {
    const { cases, audit } = this.#deps;
    if (!(await cases.exists(caseId))) throw new AppError('not_found', 'No such case');
    if (isWallScreen(user)) {
      const sight = await cases.screenSight(user.id, caseId);
      if (!displayMayRead(sight, { action, documentId: target?.documentId })) await refuseWallScreen(audit, user, { action, caseId, target: target?.documentId, ip });
    }
    const relations = await cases.relations({ ...viewerOf(user), roles: user.roles }, caseId);
    if (relations.length === 0) {
      await audit.record({ userId: user.id, actor: user.username, action, outcome: 'denied', caseId, ip });
      throw new AppError('forbidden', 'You have no access to this case');
    }
    return relations;
  }
}

function viewerOf(user: SessionUser): Viewer {
  return { id: user.id, courtId: user.courtId, courtWide: user.roles.includes('office') || user.roles.includes('chair') };
}
