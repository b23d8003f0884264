/**
 * A DecisionContext for the hearing rules' specs: the actor by user id, the clock at 1 000 ms,
 * no documents, notes or shown sheets, no media sources, ids 'x'; the spec gives who presides,
 * who keeps the record, its participants, and whatever else it needs to differ. For specs only.
 */
import type { DecisionContext } from './core.ts';
import type { HearingLiveState } from './state.ts';

export function testDecisionContext(
  state: HearingLiveState,
  actor: string,
  given: Pick<DecisionContext, 'presidingJudgeId' | 'secretaryId' | 'participant'> & Partial<DecisionContext>,
): DecisionContext {
  return {
    state,
    actor: { userId: actor, fullName: actor },
    now: 1_000,
    fullNameOf: async () => '?',
    document: async () => undefined,
    protocolNote: async () => undefined,
    shownDuring: async () => [],
    newId: () => 'x',
    remoteParticipantId: null,
    recordingSources: () => 0,
    ...given,
  };
}
