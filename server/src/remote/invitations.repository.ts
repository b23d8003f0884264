/** The remote_invitations table (db/schema.ts): one-time links and the participant sessions they open. */
import { and, eq, isNull } from 'drizzle-orm';
import { caseParticipants, hearings, remoteInvitations } from '../../../db/schema.ts';
import type { Db } from '../../../db/client.ts';

export type InvitationRow = typeof remoteInvitations.$inferSelect;

/** A participant session, with what the remote page and the signalling need to know of it. */
export type RemoteSessionRecord = {
  invitationId: string;
  hearingId: string;
  caseId: string;
  participantId: string;
  fullName: string;
  role: (typeof caseParticipants.$inferSelect)['role'];
  sessionExpiresAt: Date;
  revokedAt: Date | null;
};

export class InvitationsRepository {
  #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** Adds an invitation; earlier unused ones for the same person and hearing stop working. */
  create(row: Pick<InvitationRow, 'id' | 'hearingId' | 'participantId' | 'tokenHash' | 'expiresAt' | 'createdBy' | 'createdAt'>): void {
    this.#db
      .update(remoteInvitations)
      .set({ revokedAt: row.createdAt })
      .where(and(eq(remoteInvitations.hearingId, row.hearingId), eq(remoteInvitations.participantId, row.participantId), isNull(remoteInvitations.usedAt), isNull(remoteInvitations.revokedAt)))
      .run();
    this.#db.insert(remoteInvitations).values(row).run();
  }

  byToken(tokenHash: string): InvitationRow | undefined {
    return this.#db.select().from(remoteInvitations).where(eq(remoteInvitations.tokenHash, tokenHash)).get();
  }

  /** Marks the link used and opens the session, only if nobody used it first; false when someone did. */
  redeem(id: string, session: { hash: string; expiresAt: Date }, now: Date): boolean {
    const result = this.#db
      .update(remoteInvitations)
      .set({ usedAt: now, sessionHash: session.hash, sessionExpiresAt: session.expiresAt })
      .where(and(eq(remoteInvitations.id, id), isNull(remoteInvitations.usedAt)))
      .run();
    return result.changes === 1;
  }

  bySession(sessionHash: string): RemoteSessionRecord | undefined {
    const row = this.#db
      .select({
        invitationId: remoteInvitations.id,
        hearingId: remoteInvitations.hearingId,
        caseId: hearings.caseId,
        participantId: remoteInvitations.participantId,
        fullName: caseParticipants.fullName,
        role: caseParticipants.role,
        sessionExpiresAt: remoteInvitations.sessionExpiresAt,
        revokedAt: remoteInvitations.revokedAt,
      })
      .from(remoteInvitations)
      .innerJoin(hearings, eq(hearings.id, remoteInvitations.hearingId))
      .innerJoin(caseParticipants, eq(caseParticipants.id, remoteInvitations.participantId))
      .where(eq(remoteInvitations.sessionHash, sessionHash))
      .get();
    if (!row || !row.sessionExpiresAt) return undefined;
    return { ...row, sessionExpiresAt: row.sessionExpiresAt };
  }

  /** Ends every session of the person in the hearing (the court refused them). */
  revokeSessions(hearingId: string, participantId: string, now: Date): void {
    this.#db
      .update(remoteInvitations)
      .set({ revokedAt: now })
      .where(and(eq(remoteInvitations.hearingId, hearingId), eq(remoteInvitations.participantId, participantId), isNull(remoteInvitations.revokedAt)))
      .run();
  }
}
