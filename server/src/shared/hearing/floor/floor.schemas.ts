/** The floor and what is shown: the socket commands' payloads, and the commands they become. */
import { Type } from 'typebox';
import { command, Id, strict, type ToCommand } from '../payload.ts';
import type { FloorCommand } from './floor.ts';

const Region = Type.Object(
  {
    x: Type.Number({ minimum: 0, maximum: 1 }),
    y: Type.Number({ minimum: 0, maximum: 1 }),
    width: Type.Number({ exclusiveMinimum: 0, maximum: 1 }),
    height: Type.Number({ exclusiveMinimum: 0, maximum: 1 }),
  },
  strict,
);

export const floorPayloads = {
  'floor:give': command({
    to: Type.Union([Type.Object({ kind: Type.Literal('judge') }, strict), Type.Object({ kind: Type.Literal('participant'), participantId: Id }, strict)]),
  }),
  'floor:end': command({}),
  'presenter:show': command({
    documentId: Id,
    page: Type.Integer({ minimum: 1, maximum: 100_000 }),
    zoom: Type.Number({ minimum: 0.1, maximum: 10 }),
    region: Type.Optional(Type.Union([Region, Type.Null()])),
  }),
};

export const floorToCommand: ToCommand<typeof floorPayloads, FloorCommand> = {
  'floor:give': (p) => ({ type: 'give_floor', to: p.to }),
  'floor:end': () => ({ type: 'end_floor' }),
  'presenter:show': (p) => ({ type: 'show', documentId: p.documentId, page: p.page, zoom: p.zoom, region: p.region ?? null }),
};
