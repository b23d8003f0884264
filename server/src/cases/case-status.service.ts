/**
 * The case's life as recorded: follows the hearings' committed events and writes every change of
 * the case's status they cause (case-status-rules.ts) — with who and when, and the reason of a
 * suspension — inside the transaction of the hearing command itself, so the event and the change
 * it makes are committed together or not at all (HearingsService.addProjection).
 */
import type { HearingEvent } from '../shared/hearing/state.ts';
import { caseStatusChange } from './case-status-rules.ts';
import type { CaseStatusRepository } from './case-status.repository.ts';

type Deps = {
  repository: CaseStatusRepository;
  /** Runs the projection inside each hearing command's transaction. */
  hearings: { addProjection(projection: (events: HearingEvent[]) => Promise<void>): void };
};

export class CaseStatusService {
  #repository: CaseStatusRepository;

  constructor(deps: Deps) {
    this.#repository = deps.repository;
    deps.hearings.addProjection((events) => this.#project(events));
  }

  async #project(events: HearingEvent[]): Promise<void> {
    for (const event of events) {
      // Only the events that can change a case's status reach the database.
      if (event.type !== 'hearing.opened' && event.type !== 'hearing.suspended' && event.type !== 'hearing.ended') continue;
      const kase = await this.#repository.caseOfHearing(event.hearingId);
      if (!kase) continue;
      const change = caseStatusChange(kase.status, event);
      if (!change) continue;
      // When the case entered the status it now leaves: the suspension's start, else its last change, else its receipt.
      const since = (kase.status === 'suspended' ? kase.suspendedAt : null) ?? (await this.#repository.lastChangeAt(kase.id)) ?? kase.receivedAt;
      await this.#repository.record({
        caseId: kase.id,
        at: new Date(event.at),
        from: kase.status,
        to: change.to,
        since,
        reason: change.reason,
        hearingId: event.hearingId,
        eventVersion: event.version,
        actorUserId: event.actor.userId || null,
        actorName: event.actor.fullName,
      });
    }
  }
}
