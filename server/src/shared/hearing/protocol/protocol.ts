/**
 * The short protocol's part of the hearing (server/src/protocol/, docs/protocol.md): the secretary's
 * notes, each at the moment it is about, corrected while the protocol is a draft; then the
 * signatures, the secretary's and the judge's (the protocol service has checked them before the
 * command comes here). The protocol itself is built from the whole log (protocol-build.ts).
 */
import type { SignatureInfo } from '../../domain.ts';
import { AppError } from '../../errors.ts';
import { requireJudge, requireSecretary, transition, type DecisionContext, type FeatureRules, type StoredNote } from '../core.ts';
import { isEnded } from '../stages/stages.ts';

export const PROTOCOL_STATUSES = ['draft', 'signed_by_secretary', 'signed'] as const;
export type ProtocolStatus = (typeof PROTOCOL_STATUSES)[number];

/**
 * A secretary's note as it stands now. `at` is the moment the secretary began typing it (the
 * moment the note is about), not when it was sent. Earlier wordings stay in the event log.
 */
export type ProtocolNote = StoredNote;

/**
 * Who signed the protocol, over which PDF (`sha256`, rendered from the log up to `frozenVersion`),
 * the stored CMS signature (`signatureSha256`) and what its check established.
 */
export type ProtocolSignature = { by: 'secretary' | 'judge'; userId: string; fullName: string; sha256: string; signatureSha256: string; at: number; signer: SignatureInfo };

export type ProtocolLiveState = {
  status: ProtocolStatus;
  /**
   * In the order they were added. A client's copy holds them all (its snapshot, then the events);
   * the server's stored state leaves them empty and keeps them as rows of their own
   * (hearings.repository.ts): they grow all day, and a command must not rewrite them.
   */
  notes: ProtocolNote[];
  /** The last version of the log the signed protocol covers (set by the secretary's signature). */
  frozenVersion: number | null;
  pdfSha256: string | null;
  signatures: ProtocolSignature[];
  /** The case-file document the signed protocol became. */
  documentId: string | null;
};

export const EMPTY_PROTOCOL: ProtocolLiveState = { status: 'draft', notes: [], frozenVersion: null, pdfSha256: null, signatures: [], documentId: null };

export type ProtocolState = { protocol: ProtocolLiveState };

export type ProtocolCommand =
  | { type: 'add_protocol_note'; text: string; speakerParticipantId: string | null; startedAt: number }
  | { type: 'edit_protocol_note'; noteId: string; text: string; speakerParticipantId: string | null }
  | { type: 'sign_protocol'; signature: ProtocolSignature; frozenVersion: number; documentId: string | null };

export type ProtocolEvent =
  | { type: 'protocol.note_added'; payload: { noteId: string; text: string; speakerParticipantId: string | null; startedAt: number } }
  | { type: 'protocol.note_edited'; payload: { noteId: string; text: string; speakerParticipantId: string | null } }
  | { type: 'protocol.signed'; payload: { signature: ProtocolSignature; frozenVersion: number; documentId: string | null } };

/** How far before the hearing opened, or ahead of the server's clock, a note's start may claim to be (clock skew). */
const NOTE_CLOCK_SLACK_MS = 60_000;

export const protocol: FeatureRules<ProtocolCommand, ProtocolEvent> = {
  decide: {
    add_protocol_note: async (command, ctx) => {
      const { state } = ctx;
      requireSecretary(ctx);
      if (state.openedAt === null) throw transition('The protocol starts when the hearing is opened');
      requireDraft(ctx);
      await requireSpeaker(ctx, command.speakerParticipantId);
      const { startedAt } = command;
      if (startedAt > ctx.now + NOTE_CLOCK_SLACK_MS || startedAt < state.openedAt - NOTE_CLOCK_SLACK_MS) {
        throw new AppError('invalid_request', 'The note must start between the opening of the hearing and now');
      }
      // Within the slack, a skewed clock is corrected rather than refused.
      const at = Math.min(ctx.now, Math.max(state.openedAt, startedAt));
      return [{ type: 'protocol.note_added', payload: { noteId: ctx.newId(), text: command.text, speakerParticipantId: command.speakerParticipantId, startedAt: at } }];
    },

    edit_protocol_note: async (command, ctx) => {
      requireSecretary(ctx);
      requireDraft(ctx);
      const note = await ctx.protocolNote(command.noteId);
      if (!note) throw new AppError('not_found', 'No such note in the protocol');
      await requireSpeaker(ctx, command.speakerParticipantId);
      if (note.text === command.text && note.speakerParticipantId === command.speakerParticipantId) return [];
      return [{ type: 'protocol.note_edited', payload: { noteId: note.id, text: command.text, speakerParticipantId: command.speakerParticipantId } }];
    },

    sign_protocol: (command, ctx) => {
      const { signature } = command;
      const { state } = ctx;
      const { protocol } = state;
      if (signature.by === 'secretary') {
        requireSecretary(ctx);
        if (protocol.status !== 'draft') throw new AppError('protocol_already_signed', 'The secretary has already signed the protocol');
        if (!isEnded(state.status)) throw transition('The protocol is signed after the hearing has ended');
        if (command.frozenVersion !== state.version) throw new AppError('stale_version', 'The protocol changed since it was rendered');
      } else {
        requireJudge(ctx);
        if (protocol.status === 'signed') throw new AppError('protocol_already_signed', 'The judge has already signed the protocol');
        if (protocol.status !== 'signed_by_secretary') throw transition('The secretary signs the protocol first');
        if (command.frozenVersion !== protocol.frozenVersion || signature.sha256 !== protocol.pdfSha256) {
          throw new AppError('invalid_request', 'The judge signs the very protocol the secretary signed');
        }
      }
      return [{ type: 'protocol.signed', payload: { signature, frozenVersion: command.frozenVersion, documentId: command.documentId } }];
    },
  },

  apply: {
    'protocol.note_added': (state, event) => {
      const { noteId, text, speakerParticipantId, startedAt } = event.payload;
      const note: ProtocolNote = { id: noteId, at: startedAt, text, speakerParticipantId, edits: 0 };
      return { ...state, protocol: { ...state.protocol, notes: [...state.protocol.notes, note] } };
    },
    'protocol.note_edited': (state, event) => {
      const { noteId, text, speakerParticipantId } = event.payload;
      const notes = state.protocol.notes.map((n) => (n.id === noteId ? { ...n, text, speakerParticipantId, edits: n.edits + 1 } : n));
      return { ...state, protocol: { ...state.protocol, notes } };
    },
    'protocol.signed': (state, event) => {
      const { signature, frozenVersion, documentId } = event.payload;
      const status: ProtocolStatus = signature.by === 'secretary' ? 'signed_by_secretary' : 'signed';
      return { ...state, protocol: { ...state.protocol, status, frozenVersion, pdfSha256: signature.sha256, signatures: [...state.protocol.signatures, signature], documentId } };
    },
  },

  // The secretary's record, not the screen's.
  display: { 'protocol.note_added': 'withheld', 'protocol.note_edited': 'withheld', 'protocol.signed': 'withheld' },
  screen: () => ({ protocol: EMPTY_PROTOCOL }),
};

function requireDraft(ctx: DecisionContext): void {
  if (ctx.state.protocol.status !== 'draft') throw new AppError('protocol_signed', 'The protocol is signed: a correction is a signed addendum');
}

async function requireSpeaker(ctx: DecisionContext, participantId: string | null): Promise<void> {
  if (participantId !== null && !(await ctx.participant(participantId))) throw new AppError('not_found', 'No such participant in this case');
}
