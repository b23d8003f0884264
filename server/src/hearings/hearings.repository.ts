/**
 * Hearings in the database: the hearing row, its live state, its append-only event log, and what a
 * hearing shows of its case (participants, documents), on either dialect (db/database.ts). `commit`
 * must run inside a transaction together with the read of the state it builds on
 * (`findForUpdate`).
 *
 * The secretary's notes are not in the stored state but rows of their own, one per note, which
 * `commit` writes from the events that add or edit them: a command's writes stay the same size
 * however long the hearing has run (docs/realtime-protocol.md, "What a command costs").
 */
import { and, asc, desc, eq, gt, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { Tables } from '../../../db/database.ts';
import { Repository } from '../../../db/repository.ts';
import type { CaseParticipant, ShowableDocument, HearingRole } from '../shared/hearing/core.ts';
import type { ShownPosition } from '../shared/hearing/floor/floor.ts';
import type { ProtocolNote } from '../shared/hearing/protocol/protocol.ts';
import { upcastEvent, upcastState, type HearingEvent, type HearingEventType, type HearingInfo, type HearingLiveState, type HearingParticipant, type StoredLiveState } from '../shared/hearing/state.ts';

export type HearingRecord = Tables['hearings']['$inferSelect'];

/** A note's columns as the protocol reads them. */
function noteColumns({ hearingProtocolNotes: notes }: Tables) {
  return { id: notes.id, at: notes.at, text: notes.text, speakerParticipantId: notes.speakerParticipantId, edits: notes.edits };
}

export class HearingsRepository extends Repository {
  async find(id: string): Promise<HearingRecord | undefined> {
    const { hearings } = this.tables;
    const [row] = await this.db.select().from(hearings).where(eq(hearings.id, id));
    return row;
  }

  /**
   * Inside a transaction: the hearing, with the right to change it held until the commit (its row
   * locked on PostgreSQL, so two nodes' commands for one hearing queue there). Undefined when there
   * is no such hearing.
   */
  async findForUpdate(id: string): Promise<HearingRecord | undefined> {
    if (!(await this.database.lockHearing(id))) return undefined;
    return this.find(id);
  }

  /**
   * The stored live state, in the current shape (`upcastState`); undefined until the hearing's
   * first event. Its protocol's `notes` are empty: the notes are `protocolNotes` (all, for a
   * snapshot) and `protocolNote` (one, for a rule).
   */
  async liveState(hearingId: string): Promise<HearingLiveState | undefined> {
    const { hearingStates } = this.tables;
    const [row] = await this.db.select({ state: hearingStates.state }).from(hearingStates).where(eq(hearingStates.hearingId, hearingId));
    return row && upcastState(row.state as StoredLiveState);
  }

  /** The secretary's notes of the hearing as they stand, in the order they were added. */
  async protocolNotes(hearingId: string): Promise<ProtocolNote[]> {
    const { hearingProtocolNotes } = this.tables;
    const rows = await this.db.select(noteColumns(this.tables)).from(hearingProtocolNotes).where(eq(hearingProtocolNotes.hearingId, hearingId)).orderBy(asc(hearingProtocolNotes.addedVersion));
    return rows.map(toNote);
  }

  async protocolNote(hearingId: string, noteId: string): Promise<ProtocolNote | undefined> {
    const notes = this.tables.hearingProtocolNotes;
    const [row] = await this.db
      .select(noteColumns(this.tables))
      .from(notes)
      .where(and(eq(notes.hearingId, hearingId), eq(notes.id, noteId)));
    return row && toNote(row);
  }

  /** The live states of hearings not over (scheduled, in session, on a break) that have remote participants. */
  async openStatesWithRemote(): Promise<{ hearingId: string; state: HearingLiveState }[]> {
    const { hearingStates, hearings } = this.tables;
    // The state is JSON text in SQLite and jsonb in PostgreSQL: each asks in its own words.
    const hasRemote = this.database.dialect === 'sqlite' ? sql`json_type(${hearingStates.state}, '$.remote') is not null` : sql`${hearingStates.state} -> 'remote' is not null`;
    const rows = await this.db
      .select({ hearingId: hearingStates.hearingId, state: hearingStates.state })
      .from(hearingStates)
      .innerJoin(hearings, eq(hearings.id, hearingStates.hearingId))
      .where(and(inArray(hearings.status, ['scheduled', 'in_progress', 'break']), hasRemote));
    return rows.map((row) => ({ hearingId: row.hearingId, state: upcastState(row.state as StoredLiveState) }));
  }

  async info(hearing: HearingRecord): Promise<HearingInfo> {
    const { cases, courts, halls, users } = this.tables;
    const [row] = await this.db
      .select({ caseNumber: cases.caseNumber, timeZone: courts.timezone, hall: halls, judge: { id: users.id, fullName: users.fullName } })
      .from(cases)
      .innerJoin(courts, eq(courts.id, cases.courtId))
      .innerJoin(halls, eq(halls.id, hearing.hallId))
      .innerJoin(users, eq(users.id, hearing.presidingJudgeId))
      .where(eq(cases.id, hearing.caseId));
    const [secretary] = hearing.secretaryId ? await this.db.select({ id: users.id, fullName: users.fullName }).from(users).where(eq(users.id, hearing.secretaryId)) : [];
    return {
      id: hearing.id,
      caseId: hearing.caseId,
      caseNumber: row!.caseNumber,
      timeZone: row!.timeZone,
      scheduledAt: hearing.scheduledAt.getTime(),
      closed: hearing.closed,
      hall: { id: row!.hall.id, name: { kk: row!.hall.nameKk, ru: row!.hall.nameRu, en: row!.hall.nameEn } },
      presidingJudge: row!.judge,
      secretary: secretary ?? null,
      participants: await this.participants(hearing.caseId),
    };
  }

  async participants(caseId: string): Promise<HearingParticipant[]> {
    const { caseParticipants } = this.tables;
    return this.db
      .select({ id: caseParticipants.id, role: caseParticipants.role, fullName: caseParticipants.fullName, userId: caseParticipants.userId })
      .from(caseParticipants)
      .where(eq(caseParticipants.caseId, caseId))
      .orderBy(asc(caseParticipants.createdAt), asc(caseParticipants.id));
  }

  /** One participant of the case, with who represents them (the rules of consultations need it). */
  async participant(caseId: string, participantId: string): Promise<CaseParticipant | undefined> {
    const { caseParticipants } = this.tables;
    const [row] = await this.db
      .select({
        id: caseParticipants.id,
        role: caseParticipants.role,
        fullName: caseParticipants.fullName,
        userId: caseParticipants.userId,
        sourceId: caseParticipants.sourceId,
        representedBy: caseParticipants.representedBy,
      })
      .from(caseParticipants)
      .where(and(eq(caseParticipants.caseId, caseId), eq(caseParticipants.id, participantId)));
    return row;
  }

  async fullName(userId: string): Promise<string> {
    const { users } = this.tables;
    const [row] = await this.db.select({ fullName: users.fullName }).from(users).where(eq(users.id, userId));
    return row?.fullName ?? '';
  }

  async document(caseId: string, documentId: string): Promise<ShowableDocument | undefined> {
    const { documents, volumes } = this.tables;
    const [row] = await this.db
      .select({ id: documents.id, kind: documents.kind, volume: volumes.number, sheetFrom: documents.sheetFrom, pages: documents.pages })
      .from(documents)
      .innerJoin(volumes, eq(volumes.id, documents.volumeId))
      .where(and(eq(documents.caseId, caseId), eq(documents.id, documentId)));
    return row;
  }

  /** The hall whose wall screen this account is, if it is one. */
  async displayedHall(userId: string): Promise<string | undefined> {
    const { hallDisplays } = this.tables;
    const [row] = await this.db.select({ hallId: hallDisplays.hallId }).from(hallDisplays).where(eq(hallDisplays.userId, userId));
    return row?.hallId;
  }

  /** Events of the log, oldest first: after a version, before a version, of some types. */
  async events(hearingId: string, query: { after?: number; before?: number; types?: readonly HearingEventType[]; limit: number; newest?: boolean }): Promise<HearingEvent[]> {
    const { hearingEvents, users } = this.tables;
    const conditions: SQL[] = [eq(hearingEvents.hearingId, hearingId)];
    if (query.after !== undefined) conditions.push(gt(hearingEvents.version, query.after));
    if (query.before !== undefined) conditions.push(lt(hearingEvents.version, query.before));
    if (query.types) conditions.push(inArray(hearingEvents.type, [...query.types]));
    const rows = await this.db
      .select({ event: hearingEvents, fullName: users.fullName })
      .from(hearingEvents)
      .leftJoin(users, eq(users.id, hearingEvents.actorUserId))
      .where(and(...conditions))
      .orderBy(query.newest ? desc(hearingEvents.version) : asc(hearingEvents.version))
      .limit(query.limit);
    const events = rows.map(({ event, fullName }) => toEvent(event, fullName ?? ''));
    return query.newest ? events.reverse() : events;
  }

  /** Every position shown in the hearing after `version` (a presentation's record is built from these). */
  async positionsShownAfter(hearingId: string, version: number): Promise<ShownPosition[]> {
    const { hearingEvents } = this.tables;
    const rows = await this.db
      .select({ payload: hearingEvents.payload })
      .from(hearingEvents)
      .where(and(eq(hearingEvents.hearingId, hearingId), gt(hearingEvents.version, version), eq(hearingEvents.type, 'position.shown')))
      .orderBy(asc(hearingEvents.version));
    return rows.map((row) => (row.payload as { position: ShownPosition }).position);
  }

  /**
   * Appends the events and stores the state they lead to, without its notes: the notes the events
   * add or edit are written as their rows. The hearing's row follows (status, stage, version).
   * Inside the transaction that read the state (and locked the hearing: `findForUpdate`).
   */
  async commit(hearingId: string, events: HearingEvent[], state: HearingLiveState): Promise<void> {
    const { hearingEvents, hearingProtocolNotes: notes, hearingStates, hearings } = this.tables;
    for (const e of events) {
      await this.db.insert(hearingEvents).values({ hearingId, version: e.version, at: new Date(e.at), actorUserId: e.actor.userId || null, actorRole: e.actor.role, type: e.type, payload: e.payload });
      // The same change as applyEvent makes to a note (shared/hearing/protocol/protocol.ts), on its row.
      if (e.type === 'protocol.note_added') {
        const { noteId, text, speakerParticipantId, startedAt } = e.payload;
        await this.db.insert(notes).values({ hearingId, id: noteId, addedVersion: e.version, at: new Date(startedAt), text, speakerParticipantId, edits: 0 });
      } else if (e.type === 'protocol.note_edited') {
        const { noteId, text, speakerParticipantId } = e.payload;
        await this.db
          .update(notes)
          .set({ text, speakerParticipantId, edits: sql`${notes.edits} + 1` })
          .where(and(eq(notes.hearingId, hearingId), eq(notes.id, noteId)));
      }
    }
    const stored = state.protocol.notes.length > 0 ? { ...state, protocol: { ...state.protocol, notes: [] } } : state;
    const now = new Date();
    await this.db
      .insert(hearingStates)
      .values({ hearingId, state: stored, updatedAt: now })
      .onConflictDoUpdate({ target: hearingStates.hearingId, set: { state: stored, updatedAt: now } });
    await this.db.update(hearings).set({ status: state.status, stage: state.stage, version: state.version }).where(eq(hearings.id, hearingId));
  }
}

function toNote(row: { id: string; at: Date; text: string; speakerParticipantId: string | null; edits: number }): ProtocolNote {
  return { id: row.id, at: row.at.getTime(), text: row.text, speakerParticipantId: row.speakerParticipantId, edits: row.edits };
}

/** An event of the log as stored, in the current shape (`upcastEvent`). */
function toEvent(row: Tables['hearingEvents']['$inferSelect'], fullName: string): HearingEvent {
  return upcastEvent({
    hearingId: row.hearingId,
    version: row.version,
    at: row.at.getTime(),
    actor: { userId: row.actorUserId ?? '', fullName, role: row.actorRole as HearingRole | 'system' },
    type: row.type,
    payload: row.payload,
  } as HearingEvent);
}
