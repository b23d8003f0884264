/**
 * Remote participation: invitations (one-time links by SMS and e-mail), exchanging a link for a
 * participant session bound to one hearing and one participant, and the participant's own steps
 * (arriving in the lobby, leaving). The court's steps (admit, refuse, send back to the lobby, mute)
 * are ordinary hearing commands (remote-rules.ts) sent from the workstations.
 *
 * Tokens: 32 random bytes, base64url; only their SHA-256 is stored. A link works once and until it
 * expires; using it gives a session token (a cookie) that lasts SESSION_HOURS unless the court
 * refuses the participant, so a reload or a network change brings them back without a new link.
 *
 * Presence: a participant whose pages all disconnected and did not come back within the grace
 * period (REMOTE_DISCONNECT_GRACE_SECONDS), or who was in the lobby or the hearing when the server
 * stopped, is recorded as disconnected (`remote.disconnected`, actor `system`); the court sees them
 * gone and may invite them again.
 */
import crypto from 'node:crypto';
import type { Database } from '../../../db/database.ts';
import type { SessionUser } from '../auth/auth.service.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import { AppError } from '../shared/errors.ts';
import type { HearingSeat } from '../hearings/hearing-access.ts';
import { PARTY_ROLES } from '../shared/hearing/motions/motions.ts';
import type { HearingsRepository } from '../hearings/hearings.repository.ts';
import type { HearingsService } from '../hearings/hearings.service.ts';
import { muteKey, type RemoteDisconnectReason } from '../shared/hearing/remote/remote.ts';
import { isEnded } from '../shared/hearing/stages/stages.ts';
import type { SchedulingRepository } from '../hearings/scheduling.repository.ts';
import { noticeLocale } from '../hearings/scheduling.rules.ts';
import type { NewNotice, OutboxRepository } from '../notifications/outbox.repository.ts';
import { renderNotice } from '../notifications/summons-text.ts';
import type { NotificationChannel } from '../../../db/schema.ts';
import type { InvitationsRepository, RemoteSessionRecord } from './invitations.repository.ts';
import { RemotePresence } from './remote-presence.ts';
import type { RemoteStanding } from '../shared/socket/remote.ts';
import type { SelfTestChecks, SelfTestVerdict } from '../shared/socket/self-test.ts';
import { consultableClients, consultationOf, CONSULTS_WITH } from '../shared/hearing/consultation/consultation.ts';
import { interpretersFor } from '../shared/hearing/interpreter/interpreter.ts';

export type RemoteSession = RemoteSessionRecord;

export type Invitation = { invitationId: string; link: string; expiresAt: string; sentTo: { channel: NotificationChannel; recipient: string }[] };

type Deps = {
  invitations: InvitationsRepository;
  hearings: HearingsService;
  hearingsRepository: HearingsRepository;
  scheduling: SchedulingRepository;
  outbox: OutboxRepository;
  audit: AuditRepository;
  channels: () => ReadonlySet<NotificationChannel>;
  /** The database's transactions (db/database.ts). */
  database: Pick<Database, 'transaction'>;
  onNotified: () => void;
  inviteTtlHours: number;
  sessionTtlHours: number;
  /** How long a participant whose pages all disconnected has to come back before they are recorded as gone. */
  disconnectGraceMs: number;
  /**
   * Several nodes serve the court (REDIS_URL set): a node that starts cannot tell from its own
   * connections who is cut off, since a participant's pages may be connected to another node.
   */
  clustered?: boolean;
  log: { info(obj: object, msg: string): void; error(obj: object, msg: string): void };
  now?: () => number;
};

export const hashToken = (token: string): string => crypto.createHash('sha256').update(token).digest('hex');
const newToken = (): string => crypto.randomBytes(32).toString('base64url');

export class RemoteService {
  #deps: Deps;
  #now: () => number;
  #presence: RemotePresence;
  /** Pages of a participant connected to any node (socket.io's adapter); set by the realtime layer. */
  #connectedAnywhere: ((hearingId: string, participantId: string) => Promise<number>) | null = null;
  #restartCheck: NodeJS.Timeout | undefined;

  constructor(deps: Deps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    this.#presence = new RemotePresence({ graceMs: deps.disconnectGraceMs, lost: (hearingId, participantId) => void this.#gone(hearingId, participantId, 'connection_lost') });
  }

  /**
   * The secretary (or the presiding judge) invites a case participant to the hearing: a new link,
   * sent to the participant's e-mail and phone through the outbox, and `remote.invited` in the
   * hearing's log. The link is also returned once, for the secretary to pass on by other means.
   */
  async invite(user: SessionUser, hearingId: string, participantId: string, baseUrl: string, ip: string | null): Promise<Invitation> {
    const { invitations, hearings, scheduling, outbox, database } = this.#deps;
    const { seat, hearing } = await hearings.seatOf(user, hearingId, ip);
    const now = this.#now();
    const expiresAt = now + this.#deps.inviteTtlHours * 3600_000;
    const token = newToken();
    const link = `${baseUrl.replace(/\/$/, '')}/join/${token}`;
    const invitationId = crypto.randomUUID();
    const person = (await scheduling.participants(hearing.caseId)).find((p) => p.id === participantId);
    if (!person) throw new AppError('not_found', 'No such participant in this case');
    const kase = (await scheduling.caseFacts(hearing.caseId))!;
    const hall = (await scheduling.hall(hearing.hallId))!;
    const locale = noticeLocale(person.language, person.accountLocale, kase.language);
    const text = renderNotice({
      kind: 'remote.invitation',
      locale,
      fullName: person.fullName,
      role: person.role,
      caseNumber: kase.caseNumber,
      court: kase.court,
      hall: { name: hall.name, address: hall.address },
      start: hearing.scheduledAt,
      timeZone: kase.court.timeZone,
      closed: hearing.closed,
      link,
    });
    const common = { kind: 'remote.invitation' as const, locale, hearingId, summonsId: null };
    const notices: NewNotice[] = [];
    if (person.phone) notices.push({ ...common, channel: 'sms', recipient: person.phone, subject: null, body: text.sms });
    if (person.email) notices.push({ ...common, channel: 'email', recipient: person.email, subject: text.subject, body: text.body });

    await database.transaction(async () => {
      await invitations.create({ id: invitationId, hearingId, participantId, tokenHash: hashToken(token), expiresAt: new Date(expiresAt), createdBy: user.id, createdAt: new Date(now) });
      await outbox.enqueue(notices, this.#deps.channels(), new Date(now));
      await hearings.execute({ user, seat, ip }, hearingId, { type: 'invite_remote', participantId, expiresAt, channels: notices.map((n) => n.channel) });
    });
    this.#deps.onNotified();
    return { invitationId, link, expiresAt: new Date(expiresAt).toISOString(), sentTo: notices.map((n) => ({ channel: n.channel, recipient: n.recipient })) };
  }

  /**
   * Exchanges a link's token for a participant session: `invitation_invalid` for an unknown or
   * withdrawn link, `invitation_expired`, `invitation_used` for a second use. Every refusal is audited.
   */
  async redeem(token: string, ip: string | null): Promise<{ sessionToken: string; session: RemoteSession }> {
    const { invitations, audit } = this.#deps;
    const now = this.#now();
    const row = await invitations.byToken(hashToken(token));
    const refuse = async (code: 'invitation_invalid' | 'invitation_expired' | 'invitation_used', message: string): Promise<never> => {
      await audit.record({ userId: null, actor: 'remote', action: 'remote.redeem', outcome: 'denied', target: row?.hearingId ?? null, ip, details: { code, invitationId: row?.id ?? null } });
      throw new AppError(code, message);
    };
    if (!row || row.revokedAt) return refuse('invitation_invalid', 'This link is not valid');
    if (row.usedAt) return refuse('invitation_used', 'This link has already been used');
    if (row.expiresAt.getTime() <= now) return refuse('invitation_expired', 'This link has expired');
    const hearing = await this.#deps.hearingsRepository.find(row.hearingId);
    if (!hearing || isEnded(hearing.status) || hearing.status === 'cancelled') return refuse('invitation_expired', 'The hearing is over');
    const sessionToken = newToken();
    const expiresAt = new Date(now + this.#deps.sessionTtlHours * 3600_000);
    if (!(await invitations.redeem(row.id, { hash: hashToken(sessionToken), expiresAt }, new Date(now)))) return refuse('invitation_used', 'This link has already been used');
    await audit.record({ userId: null, actor: 'remote', action: 'remote.redeem', outcome: 'allowed', target: row.hearingId, ip, details: { invitationId: row.id, participantId: row.participantId } });
    return { sessionToken, session: (await invitations.bySession(hashToken(sessionToken)))! };
  }

  /** The live participant session behind a cookie, or undefined (unknown, expired, revoked). */
  async session(sessionToken: string | undefined): Promise<RemoteSession | undefined> {
    if (!sessionToken) return undefined;
    const session = await this.#deps.invitations.bySession(hashToken(sessionToken));
    if (!session || session.revokedAt || session.sessionExpiresAt.getTime() <= this.#now()) return undefined;
    return session;
  }

  async standing(session: RemoteSession): Promise<RemoteStanding> {
    const hearing = (await this.#deps.hearingsRepository.find(session.hearingId))!;
    const state = await this.#deps.hearingsRepository.liveState(session.hearingId);
    const kase = (await this.#deps.scheduling.caseFacts(hearing.caseId))!;
    const status = state?.remote[session.participantId]?.status ?? null;
    return {
      hearingId: session.hearingId,
      caseNumber: kase.caseNumber,
      participant: { id: session.participantId, fullName: session.fullName, role: session.role },
      status,
      hearingStatus: state?.status ?? hearing.status,
      mutedByCourt: state?.mutedByCourt.includes(muteKey({ userId: null, participantId: session.participantId })) ?? false,
      shown: status === 'live' ? (state?.shown ?? null) : null,
      party: PARTY_ROLES.includes(session.role),
      interpreting: state?.interpreters?.[session.participantId] ?? null,
      interpretedBy: state ? interpretersFor(state, session.participantId) : [],
      consultation: (state && consultationOf(state, session.participantId)) ?? null,
      mayConsultWith: await this.#consultable(hearing.caseId, session.participantId, session.role),
    };
  }

  /** The clients a lawyer on the phone may consult with (the consultation rules, with names); none for anyone else. */
  async #consultable(caseId: string, participantId: string, role: RemoteSession['role']): Promise<RemoteStanding['mayConsultWith']> {
    if (!CONSULTS_WITH[role]) return [];
    const repository = this.#deps.hearingsRepository;
    const lawyer = await repository.participant(caseId, participantId);
    if (!lawyer) return [];
    const candidates = (await repository.participants(caseId)).filter((p) => p.role === CONSULTS_WITH[role]);
    const full = (await Promise.all(candidates.map((p) => repository.participant(caseId, p.id)))).filter((p) => p !== undefined);
    return consultableClients(lawyer, full).map((p) => ({ participantId: p.id, fullName: p.fullName, role: p.role }));
  }

  /**
   * The document presented in the hall now, for an admitted participant to read the shown page
   * (read-only): only while they are live, and only the document on screen; else `forbidden`.
   */
  async shownDocument(session: RemoteSession, documentId: string): Promise<{ caseId: string; documentId: string }> {
    const standing = await this.standing(session);
    if (standing.status !== 'live') throw new AppError('not_admitted', 'Only a participant admitted to the hearing sees the presented page');
    if (standing.shown?.documentId !== documentId) throw new AppError('forbidden', 'This document is not being presented');
    return { caseId: session.caseId, documentId };
  }

  /** The participant has checked camera and microphone and waits to be admitted. */
  async arrive(session: RemoteSession, ip: string | null): Promise<RemoteStanding> {
    await this.#deps.hearings.execute(this.actorOf(session, ip), session.hearingId, { type: 'remote_arrive', participantId: session.participantId });
    return this.standing(session);
  }

  /** The phone's self-test ended: its result goes into the hearing (shared/socket/self-test.ts). */
  async selfTested(session: RemoteSession, ip: string | null, verdict: SelfTestVerdict, checks: SelfTestChecks): Promise<void> {
    await this.#deps.hearings.execute(this.actorOf(session, ip), session.hearingId, { type: 'remote_self_test', participantId: session.participantId, verdict, checks });
  }

  async leave(session: RemoteSession, ip: string | null): Promise<void> {
    await this.#deps.hearings.execute(this.actorOf(session, ip), session.hearingId, { type: 'remote_leave', participantId: session.participantId });
  }

  /** A lawyer on the phone opens a private consultation with their client (the hearing's rules decide whether they may). */
  async openConsultation(session: RemoteSession, participantId: string, ip: string | null): Promise<RemoteStanding> {
    await this.#deps.hearings.execute(this.actorOf(session, ip), session.hearingId, { type: 'open_consultation', withParticipantId: participantId });
    return this.standing(session);
  }

  /** "Back to the hall": the participant's consultation closes; nothing to do when they are in none. */
  async closeConsultation(session: RemoteSession, ip: string | null): Promise<RemoteStanding> {
    const state = await this.#deps.hearingsRepository.liveState(session.hearingId);
    const consultation = state && consultationOf(state, session.participantId);
    if (consultation) await this.#deps.hearings.execute(this.actorOf(session, ip), session.hearingId, { type: 'close_consultation', consultationId: consultation.id });
    return this.standing(session);
  }

  /** A page of the participant connected to the /remote namespace (cancels a pending "connection lost"). */
  connected(session: RemoteSession): void {
    this.#presence.opened(session.hearingId, session.participantId);
  }

  /** A page of the participant disconnected; the last one starts the grace period. */
  disconnected(session: RemoteSession): void {
    this.#presence.closed(session.hearingId, session.participantId);
  }

  /** How to count a participant's pages on every node (the realtime layer, through socket.io's adapter). */
  countConnectionsWith(count: (hearingId: string, participantId: string) => Promise<number>): void {
    this.#connectedAnywhere = count;
  }

  /**
   * At start, before anyone can connect: whoever stood in the lobby or the hearing of a hearing not
   * over when the server stopped has no connection any more. Returns how many were recorded gone.
   *
   * In a cluster a node's start says nothing of the others' connections: a participant whose node
   * died has reconnected to a survivor, and one on another node never left. So there the node waits
   * the grace period and records only those with no page connected on any node; 0 is returned now.
   */
  async recordRestart(): Promise<number> {
    if (this.#deps.clustered) {
      this.#restartCheck = setTimeout(() => void this.#recordUnconnected(), this.#deps.disconnectGraceMs);
      this.#restartCheck.unref();
      return 0;
    }
    let gone = 0;
    for (const { hearingId, participantId } of await this.#standingRemotely()) {
      gone += (await this.#gone(hearingId, participantId, 'server_restarted')) ? 1 : 0;
    }
    if (gone > 0) this.#deps.log.info({ gone }, 'remote participants cut off by the restart recorded as disconnected');
    return gone;
  }

  /** Participants in the lobby or the hearing of a hearing not over. */
  async #standingRemotely(): Promise<{ hearingId: string; participantId: string }[]> {
    const standing: { hearingId: string; participantId: string }[] = [];
    for (const { hearingId, state } of await this.#deps.hearingsRepository.openStatesWithRemote()) {
      for (const attendee of Object.values(state.remote)) {
        if (attendee.status === 'lobby' || attendee.status === 'live') standing.push({ hearingId, participantId: attendee.participantId });
      }
    }
    return standing;
  }

  /** The cluster's restart check: a participant with no page on any node after the grace period is gone. */
  async #recordUnconnected(): Promise<void> {
    try {
      const count = this.#connectedAnywhere;
      if (!count) return;
      let gone = 0;
      for (const { hearingId, participantId } of await this.#standingRemotely()) {
        if ((await count(hearingId, participantId)) > 0) continue;
        gone += (await this.#gone(hearingId, participantId, 'connection_lost')) ? 1 : 0;
      }
      if (gone > 0) this.#deps.log.info({ gone }, 'remote participants with no page on any node recorded as disconnected');
    } catch (error) {
      this.#deps.log.error({ err: error }, 'could not check which remote participants are still connected');
    }
  }

  /** Stops the grace timers (the server is closing; the next start records whoever was connected). */
  close(): void {
    clearTimeout(this.#restartCheck);
    this.#presence.close();
  }

  /** Records the participant as gone (the rules decide whether they still stood anywhere); false on a fault. */
  async #gone(hearingId: string, participantId: string, reason: RemoteDisconnectReason): Promise<boolean> {
    try {
      await this.#deps.hearings.executeAsSystem(hearingId, { type: 'remote_disconnect', participantId, reason });
      return true;
    } catch (error) {
      // Called from a timer too: a fault is logged, never thrown into the event loop.
      this.#deps.log.error({ err: error, hearingId, participantId }, 'could not record a remote participant as disconnected');
      return false;
    }
  }

  /** The court refused the participant: their sessions end. */
  async revoke(hearingId: string, participantId: string): Promise<void> {
    await this.#deps.invitations.revokeSessions(hearingId, participantId, new Date(this.#now()));
  }

  /** A remote participant as the actor of a hearing command (no user account: an empty user id). */
  actorOf(session: RemoteSession, ip: string | null): { user: SessionUser; seat: HearingSeat; ip: string | null } {
    return {
      user: { id: '', username: `remote:${session.participantId}`, fullName: session.fullName, roles: [], locale: 'ru', courtId: null, sessionId: session.invitationId },
      seat: { role: 'remote_participant', participantId: session.participantId },
      ip,
    };
  }
}
