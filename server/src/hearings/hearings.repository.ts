/**
 * Hearings in the database: the hearing row, its live state, its append-only event log, and what a
 * hearing shows of its case (participants, documents). `commit` must run inside a transaction
 * (`DbHandle.atomically`) together with the read of the state it builds on.
 *
 * The secretary's notes are not in the stored state but rows of their own, one per note, which
 * `commit` writes from the events that add or edit them: a command's writes stay the same size
 * however long the hearing has run (docs/realtime-protocol.md, "What a command costs").
 */
import { and, asc, desc, eq, gt, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { caseParticipants, courts, cases, documents, hallDisplays, halls, hearingEvents, hearingProtocolNotes, hearings, hearingStates, users, volumes } from '../../../db/schema.ts';
import type { Db } from '../../../db/client.ts';
import type { ShowableDocument, HearingRole } from '../shared/hearing/core.ts';
import type { ShownPosition } from '../shared/hearing/floor/floor.ts';
import type { ProtocolNote } from '../shared/hearing/protocol/protocol.ts';
import { upcastEvent, upcastState, type HearingEvent, type HearingEventType, type HearingInfo, type HearingLiveState, type HearingParticipant, type StoredLiveState } from '../shared/hearing/state.ts';

export type HearingRecord = typeof hearings.$inferSelect;

const noteColumns = {
  id: hearingProtocolNotes.id,
  at: hearingProtocolNotes.at,
  text: hearingProtocolNotes.text,
  speakerParticipantId: hearingProtocolNotes.speakerParticipantId,
  edits: hearingProtocolNotes.edits,
};

export class HearingsRepository {
  #db: Db;
  /** The queries every command runs, prepared once: a page change must cost little besides its fsync. */
  #hot;

  constructor(db: Db) {
    this.#db = db;
    const id = sql.placeholder('id');
    const caseId = sql.placeholder('caseId');
    const noteId = sql.placeholder('noteId');
    const notes = hearingProtocolNotes;
    this.#hot = {
      find: db.select().from(hearings).where(eq(hearings.id, id)).prepare(),
      liveState: db.select({ state: hearingStates.state }).from(hearingStates).where(eq(hearingStates.hearingId, id)).prepare(),
      document: db
        .select({ id: documents.id, kind: documents.kind, volume: volumes.number, sheetFrom: documents.sheetFrom, pages: documents.pages })
        .from(documents)
        .innerJoin(volumes, eq(volumes.id, documents.volumeId))
        .where(and(eq(documents.caseId, caseId), eq(documents.id, id)))
        .prepare(),
      appendEvent: db
        .insert(hearingEvents)
        .values({
          hearingId: id,
          version: sql.placeholder('version'),
          at: sql.placeholder('at'),
          actorUserId: sql.placeholder('actorUserId'),
          actorRole: sql.placeholder('actorRole'),
          type: sql.placeholder('type'),
          payload: sql.placeholder('payload'),
        })
        .prepare(),
      saveState: db
        .insert(hearingStates)
        .values({ hearingId: id, state: sql.placeholder('state'), updatedAt: sql.placeholder('at') })
        .onConflictDoUpdate({ target: hearingStates.hearingId, set: { state: sql`excluded.state`, updatedAt: sql`excluded.updated_at` } })
        .prepare(),
      updateHearing: db
        .update(hearings)
        .set({ status: sql`${sql.placeholder('status')}`, stage: sql`${sql.placeholder('stage')}`, version: sql`${sql.placeholder('version')}` })
        .where(eq(hearings.id, id))
        .prepare(),
      note: db
        .select(noteColumns)
        .from(notes)
        .where(and(eq(notes.hearingId, id), eq(notes.id, noteId)))
        .prepare(),
      addNote: db
        .insert(notes)
        .values({
          hearingId: id,
          id: noteId,
          addedVersion: sql.placeholder('version'),
          at: sql.placeholder('at'),
          text: sql.placeholder('text'),
          speakerParticipantId: sql.placeholder('speaker'),
          edits: 0,
        })
        .prepare(),
      editNote: db
        .update(notes)
        .set({ text: sql`${sql.placeholder('text')}`, speakerParticipantId: sql`${sql.placeholder('speaker')}`, edits: sql`${notes.edits} + 1` })
        .where(and(eq(notes.hearingId, id), eq(notes.id, noteId)))
        .prepare(),
    };
  }

  find(id: string): HearingRecord | undefined {
    return this.#hot.find.get({ id });
  }

  /**
   * The stored live state, in the current shape (`upcastState`); undefined until the hearing's
   * first event. Its protocol's `notes` are empty: the notes are `protocolNotes` (all, for a
   * snapshot) and `protocolNote` (one, for a rule).
   */
  liveState(hearingId: string): HearingLiveState | undefined {
    const stored = this.#hot.liveState.get({ id: hearingId })?.state as StoredLiveState | undefined;
    return stored && upcastState(stored);
  }

  /** The secretary's notes of the hearing as they stand, in the order they were added. */
  protocolNotes(hearingId: string): ProtocolNote[] {
    return this.#db.select(noteColumns).from(hearingProtocolNotes).where(eq(hearingProtocolNotes.hearingId, hearingId)).orderBy(asc(hearingProtocolNotes.addedVersion)).all().map(toNote);
  }

  protocolNote(hearingId: string, noteId: string): ProtocolNote | undefined {
    const row = this.#hot.note.get({ id: hearingId, noteId });
    return row && toNote(row);
  }

  /** The live states of hearings not over (scheduled, in session, on a break) that have remote participants. */
  openStatesWithRemote(): { hearingId: string; state: HearingLiveState }[] {
    return this.#db
      .select({ hearingId: hearingStates.hearingId, state: hearingStates.state })
      .from(hearingStates)
      .innerJoin(hearings, eq(hearings.id, hearingStates.hearingId))
      .where(and(inArray(hearings.status, ['scheduled', 'in_progress', 'break']), sql`json_type(${hearingStates.state}, '$.remote') is not null`))
      .all()
      .map((row) => ({ hearingId: row.hearingId, state: row.state as HearingLiveState }));
  }

  info(hearing: HearingRecord): HearingInfo {
    const row = this.#db
      .select({ caseNumber: cases.caseNumber, timeZone: courts.timezone, hall: halls, judge: { id: users.id, fullName: users.fullName } })
      .from(cases)
      .innerJoin(courts, eq(courts.id, cases.courtId))
      .innerJoin(halls, eq(halls.id, hearing.hallId))
      .innerJoin(users, eq(users.id, hearing.presidingJudgeId))
      .where(eq(cases.id, hearing.caseId))
      .get()!;
    const secretary = hearing.secretaryId ? this.#db.select({ id: users.id, fullName: users.fullName }).from(users).where(eq(users.id, hearing.secretaryId)).get() : undefined;
    return {
      id: hearing.id,
      caseId: hearing.caseId,
      caseNumber: row.caseNumber,
      timeZone: row.timeZone,
      scheduledAt: hearing.scheduledAt.getTime(),
      closed: hearing.closed,
      hall: { id: row.hall.id, name: { kk: row.hall.nameKk, ru: row.hall.nameRu, en: row.hall.nameEn } },
      presidingJudge: row.judge,
      secretary: secretary ?? null,
      participants: this.participants(hearing.caseId),
    };
  }

  participants(caseId: string): HearingParticipant[] {
    return this.#db
      .select({ id: caseParticipants.id, role: caseParticipants.role, fullName: caseParticipants.fullName, userId: caseParticipants.userId })
      .from(caseParticipants)
      .where(eq(caseParticipants.caseId, caseId))
      .orderBy(asc(caseParticipants.createdAt), asc(caseParticipants.id))
      .all();
  }

  participant(caseId: string, participantId: string): HearingParticipant | undefined {
    return this.#db
      .select({ id: caseParticipants.id, role: caseParticipants.role, fullName: caseParticipants.fullName, userId: caseParticipants.userId })
      .from(caseParticipants)
      .where(and(eq(caseParticipants.caseId, caseId), eq(caseParticipants.id, participantId)))
      .get();
  }

  fullName(userId: string): string {
    return this.#db.select({ fullName: users.fullName }).from(users).where(eq(users.id, userId)).get()?.fullName ?? '';
  }

  document(caseId: string, documentId: string): ShowableDocument | undefined {
    return this.#hot.document.get({ caseId, id: documentId });
  }

  /** The hall whose wall screen this account is, if it is one. */
  displayedHall(userId: string): string | undefined {
    return this.#db.select({ hallId: hallDisplays.hallId }).from(hallDisplays).where(eq(hallDisplays.userId, userId)).get()?.hallId;
  }

  /** Events of the log, oldest first: after a version, before a version, of some types. */
  events(hearingId: string, query: { after?: number; before?: number; types?: readonly HearingEventType[]; limit: number; newest?: boolean }): HearingEvent[] {
    const conditions: SQL[] = [eq(hearingEvents.hearingId, hearingId)];
    if (query.after !== undefined) conditions.push(gt(hearingEvents.version, query.after));
    if (query.before !== undefined) conditions.push(lt(hearingEvents.version, query.before));
    if (query.types) conditions.push(inArray(hearingEvents.type, [...query.types]));
    const rows = this.#db
      .select({ event: hearingEvents, fullName: users.fullName })
      .from(hearingEvents)
      .leftJoin(users, eq(users.id, hearingEvents.actorUserId))
      .where(and(...conditions))
      .orderBy(query.newest ? desc(hearingEvents.version) : asc(hearingEvents.version))
      .limit(query.limit)
      .all()
      .map(({ event, fullName }) => toEvent(event, fullName ?? ''));
    return query.newest ? rows.reverse() : rows;
  }

  /** Every position shown in the hearing after `version` (a presentation's record is built from these). */
  positionsShownAfter(hearingId: string, version: number): ShownPosition[] {
    return this.#db
      .select({ payload: hearingEvents.payload })
      .from(hearingEvents)
      .where(and(eq(hearingEvents.hearingId, hearingId), gt(hearingEvents.version, version), eq(hearingEvents.type, 'position.shown')))
      .orderBy(asc(hearingEvents.version))
      .all()
      .map((row) => (row.payload as { position: ShownPosition }).position);
  }

  /**
   * Appends the events and stores the state they lead to, without its notes: the notes the events
   * add or edit are written as their rows. The hearing's row follows (status, stage, version).
   */
  commit(hearingId: string, events: HearingEvent[], state: HearingLiveState): void {
    const { appendEvent, saveState, updateHearing, addNote, editNote } = this.#hot;
    for (const e of events) {
      appendEvent.run({ id: hearingId, version: e.version, at: new Date(e.at), actorUserId: e.actor.userId || null, actorRole: e.actor.role, type: e.type, payload: e.payload });
      // The same change as applyEvent makes to a note (shared/hearing/protocol/protocol.ts), on its row.
      if (e.type === 'protocol.note_added') {
        const { noteId, text, speakerParticipantId, startedAt } = e.payload;
        addNote.run({ id: hearingId, noteId, version: e.version, at: new Date(startedAt), text, speaker: speakerParticipantId });
      } else if (e.type === 'protocol.note_edited') {
        const { noteId, text, speakerParticipantId } = e.payload;
        editNote.run({ id: hearingId, noteId, text, speaker: speakerParticipantId });
      }
    }
    const stored = state.protocol.notes.length > 0 ? { ...state, protocol: { ...state.protocol, notes: [] } } : state;
    saveState.run({ id: hearingId, state: stored, at: new Date() });
    updateHearing.run({ id: hearingId, status: state.status, stage: state.stage, version: state.version });
  }
}

function toNote(row: { id: string; at: Date; text: string; speakerParticipantId: string | null; edits: number }): ProtocolNote {
  return { id: row.id, at: row.at.getTime(), text: row.text, speakerParticipantId: row.speakerParticipantId, edits: row.edits };
}

/** An event of the log as stored, in the current shape (`upcastEvent`). */
function toEvent(row: typeof hearingEvents.$inferSelect, fullName: string): HearingEvent {
  return upcastEvent({
    hearingId: row.hearingId,
    version: row.version,
    at: row.at.getTime(),
    actor: { userId: row.actorUserId ?? '', fullName, role: row.actorRole as HearingRole | 'system' },
    type: row.type,
    payload: row.payload,
  } as HearingEvent);
}
