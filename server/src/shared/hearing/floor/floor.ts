/**
 * The floor to present, and what is shown: the presiding judge gives the floor to themself, a
 * prosecutor or a defence lawyer; whoever has it shows a page of the case file (and zooms, and
 * marks a region), and everyone's screen follows; the presentation ends when they or the judge end
 * it, when the floor passes, or when a break, the deliberation or the end of the hearing comes.
 * The log records what a presentation showed once, when it ends (`presentation.ended`).
 */
import { AppError } from '../../errors.ts';
import { requireJudge, requireStatus, isPresidingJudge, transition, type DecisionContext, type FeatureRules, type ShownSheets } from '../core.ts';
import type { HearingEventBody } from '../state.ts';
import { requireNoRecusalPending } from '../motions/motions.ts';

export type { ShownSheets };

/** Who may be given the floor to present: the presiding judge, a prosecutor, a defence lawyer. */
export type PresenterRole = 'judge' | 'prosecutor' | 'defender';
export type Presenter = { userId: string; fullName: string; role: PresenterRole; participantId: string | null };

/** A rectangle on the page, in fractions of the page's width and height (0..1), from the top left. */
export type Region = { x: number; y: number; width: number; height: number };

/**
 * What the presenter shows: a page of a case-file document and, resolved by the server from the
 * inventory, the volume and the sheet of the case file that page is.
 */
export type ShownPosition = { documentId: string; page: number; volume: number; sheet: number; zoom: number; region: Region | null };

/** The floor to present: who has it, and the presentation it opened (ended by `presentation.ended`). */
export type Floor = Presenter & { presentationId: string; since: number; sinceVersion: number };

export type FloorState = { floor: Floor | null; shown: ShownPosition | null };

export type FloorTarget = { kind: 'judge' } | { kind: 'participant'; participantId: string };

export type PresentationEndReason = 'ended' | 'passed' | 'break' | 'deliberation' | 'hearing_ended';

export type FloorCommand = { type: 'give_floor'; to: FloorTarget } | { type: 'end_floor' } | { type: 'show'; documentId: string; page: number; zoom: number; region: Region | null };

export type FloorEvent =
  | { type: 'floor.given'; payload: { presenter: Presenter; presentationId: string } }
  | { type: 'position.shown'; payload: { presentationId: string; position: ShownPosition } }
  | {
      type: 'presentation.ended';
      payload: { presentationId: string; presenter: Presenter; startedAt: number; reason: PresentationEndReason; shown: ShownSheets[] };
    };

export const floor: FeatureRules<FloorCommand, FloorEvent> = {
  decide: {
    give_floor: async (command, ctx) => {
      const { state } = ctx;
      requireJudge(ctx);
      requireStatus(state, 'in_progress');
      if (state.stage === 'deliberation') throw transition('Nobody presents while the court deliberates');
      requireNoRecusalPending(state);
      const presenter = await presenterOf(command.to, ctx);
      if (state.floor && samePresenter(state.floor, presenter)) return [];
      return [...(await endPresentation(ctx, 'passed')), { type: 'floor.given', payload: { presenter, presentationId: ctx.newId() } }];
    },

    end_floor: async (_command, ctx) => {
      const { floor } = ctx.state;
      if (!isPresidingJudge(ctx) && floor?.userId !== ctx.actor.userId) throw new AppError('not_presenter', 'Only the presenter or the presiding judge ends a presentation');
      if (!floor) throw transition('Nobody has the floor');
      return endPresentation(ctx, 'ended');
    },

    show: async (command, ctx) => {
      const { state } = ctx;
      if (state.floor?.userId !== ctx.actor.userId) throw new AppError('not_presenter', 'Only the person who has the floor changes what is shown');
      requireStatus(state, 'in_progress');
      requireNoRecusalPending(state);
      const position = await positionOf(command, ctx);
      if (state.shown && samePosition(state.shown, position)) return [];
      return [{ type: 'position.shown', payload: { presentationId: state.floor.presentationId, position } }];
    },
  },

  apply: {
    'floor.given': (state, event) => ({
      ...state,
      floor: { ...event.payload.presenter, presentationId: event.payload.presentationId, since: event.at, sinceVersion: event.version },
      shown: null,
    }),
    'position.shown': (state, event) => ({ ...state, shown: event.payload.position }),
    'presentation.ended': (state) => ({ ...state, floor: null, shown: null }),
  },

  // What the hall's screen is for.
  display: { 'floor.given': 'shown', 'position.shown': 'shown', 'presentation.ended': 'shown' },
};

/** Closes the current presentation, if any, with what it showed (the log's record of it). */
export async function endPresentation(ctx: DecisionContext, reason: PresentationEndReason): Promise<HearingEventBody[]> {
  const { floor } = ctx.state;
  if (!floor) return [];
  const { presentationId, since, sinceVersion, ...presenter } = floor;
  return [{ type: 'presentation.ended', payload: { presentationId, presenter, startedAt: since, reason, shown: await ctx.shownDuring(sinceVersion) } }];
}

/** The documents and sheets a presentation showed, each document once, in the order first shown. */
export function summarise(positions: ShownPosition[]): ShownSheets[] {
  const byDocument = new Map<string, ShownSheets>();
  for (const p of positions) {
    const entry = byDocument.get(p.documentId) ?? { documentId: p.documentId, volume: p.volume, sheets: [] };
    if (!entry.sheets.includes(p.sheet)) entry.sheets.push(p.sheet);
    byDocument.set(p.documentId, entry);
  }
  for (const entry of byDocument.values()) entry.sheets.sort((a, b) => a - b);
  return [...byDocument.values()];
}

async function presenterOf(target: FloorTarget, ctx: DecisionContext): Promise<Presenter> {
  if (target.kind === 'judge') return { userId: ctx.presidingJudgeId, fullName: await ctx.fullNameOf(ctx.presidingJudgeId), role: 'judge', participantId: null };
  const participant = await ctx.participant(target.participantId);
  if (!participant) throw new AppError('not_found', 'No such participant in this case');
  if (participant.role !== 'prosecutor' && participant.role !== 'defender') throw new AppError('invalid_request', 'The floor to present goes to the judge, a prosecutor or a defence lawyer');
  if (!participant.userId) throw new AppError('invalid_request', 'This participant has no account to present from');
  return { userId: participant.userId, fullName: participant.fullName, role: participant.role, participantId: participant.id };
}

function samePresenter(a: Presenter, b: Presenter): boolean {
  return a.userId === b.userId && a.participantId === b.participantId;
}

function samePosition(a: ShownPosition, b: ShownPosition): boolean {
  const r = a.region;
  const q = b.region;
  const sameRegion = r === q || (r !== null && q !== null && r.x === q.x && r.y === q.y && r.width === q.width && r.height === q.height);
  return a.documentId === b.documentId && a.page === b.page && a.zoom === b.zoom && sameRegion;
}

async function positionOf(command: Extract<FloorCommand, { type: 'show' }>, ctx: DecisionContext): Promise<ShownPosition> {
  const document = await ctx.document(command.documentId);
  if (!document) throw new AppError('not_found', 'No such document in the case file');
  if (document.kind === 'media' || document.sheetFrom === null || document.pages === null) {
    throw new AppError('invalid_request', 'Only documents with sheets (PDF and electronic documents) are shown page by page');
  }
  if (command.page > document.pages) throw new AppError('invalid_request', `The document has ${document.pages} pages`);
  const { region } = command;
  if (region && (region.x + region.width > 1 || region.y + region.height > 1)) throw new AppError('invalid_request', 'The region must lie within the page');
  return {
    documentId: document.id,
    page: command.page,
    volume: document.volume,
    sheet: document.sheetFrom + command.page - 1,
    zoom: command.zoom,
    region,
  };
}
