/** The remote_invitations table (db/schema.ts): one-time links and the participant sessions they open. */
import { and, eq, isNull } from 'drizzle-orm';
import type { Tables } from '../../../db/database.ts';
import { Repository } from '../../../db/repository.ts';

export type InvitationRow = Tables['remoteInvitations']['$inferSelect'];

/** A participant session, with what the remote page and the signalling need to know of it. */
export type RemoteSessionRecord = {
  invitationId: string;
  hearingId: string;
  caseId: string;
  participantId: string;
  fullName: string;
  role: Tables['caseParticipants']['$inferSelect']['role'];
  sessionExpiresAt: Date;
  revokedAt: Date | null;
};

/** Writes run in `database.transaction` (a caller's, when inside one): on SQLite a write outside one is refused. */
export class InvitationsRepository extends Repository {
  /** Adds an invitation; earlier unused ones for the same person and hearing stop working. */
  async create(row: Pick<InvitationRow, 'id' | 'hearingId' | 'participantId' | 'tokenHash' | 'expiresAt' | 'createdBy' | 'createdAt'>): Promise<void> {
    const { remoteInvitations } = this.tables;
    await this.database.transaction(async () => {
      await this.db
        .update(remoteInvitations)
        .set({ revokedAt: row.createdAt })
        .where(and(eq(remoteInvitations.hearingId, row.hearingId), eq(remoteInvitations.participantId, row.participantId), isNull(remoteInvitations.usedAt), isNull(remoteInvitations.revokedAt)));
      await this.db.insert(remoteInvitations).values(row);
    });
  }

  async byToken(tokenHash: string): Promise<InvitationRow | undefined> {
    const { remoteInvitations } = this.tables;
    const [row] = await this.db.select().from(remoteInvitations).where(eq(remoteInvitations.tokenHash, tokenHash));
    return row;
  }

  /** Marks the link used and opens the session, only if nobody used it first; false when someone did. */
  async redeem(id: string, session: { hash: string; expiresAt: Date }, now: Date): Promise<boolean> {
    const { remoteInvitations } = this.tables;
    const used = await this.database.transaction(() =>
      this.db
        .update(remoteInvitations)
        .set({ usedAt: now, sessionHash: session.hash, sessionExpiresAt: session.expiresAt })
        .where(and(eq(remoteInvitations.id, id), isNull(remoteInvitations.usedAt)))
        .returning({ id: remoteInvitations.id }),
    );
    return used.length === 1;
  }

  async bySession(sessionHash: string): Promise<RemoteSessionRecord | undefined> {
    const { caseParticipants, hearings, remoteInvitations } = this.tables;
    const [row] = await this.db
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
      .where(eq(remoteInvitations.sessionHash, sessionHash));
    if (!row || !row.sessionExpiresAt) return undefined;
    return { ...row, sessionExpiresAt: row.sessionExpiresAt };
  }

  /** Ends every session of the person in the hearing (the court refused them). */
  async revokeSessions(hearingId: string, participantId: string, now: Date): Promise<void> {
    const { remoteInvitations } = this.tables;
    await this.database.transaction(() =>
      this.db
        .update(remoteInvitations)
        .set({ revokedAt: now })
        .where(and(eq(remoteInvitations.hearingId, hearingId), eq(remoteInvitations.participantId, participantId), isNull(remoteInvitations.revokedAt))),
    );
  }
}
