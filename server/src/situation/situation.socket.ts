/**
 * The situation centre's live updates: `situation:watch { courtId? }` joins the room of the court
 * the user may look at (the same rule as the HTTP routes: chair and office their own, admin any or
 * all); `situation:changed { courtId }` then arrives when its figures change, and the client
 * reloads the dashboard. Nothing but the court id travels on the socket.
 */
import { Type } from 'typebox';
import { parsePayload } from '../realtime/parse-payload.ts';
import { answer, type Log, type RealtimeServer, type RealtimeSocket } from '../realtime/socket-types.ts';
import type { SituationService } from './situation.service.ts';
import type { SituationSignals } from './situation-signals.ts';

export const situationRoom = (courtId: string | null) => `situation:${courtId ?? 'all'}`;

const WatchPayload = Type.Object({ courtId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })) }, { additionalProperties: false });

export function registerSituationHandlers(socket: RealtimeSocket, deps: { situation: SituationService; log: Log }): void {
  socket.on('situation:watch', (payload: unknown, ack) =>
    answer(deps.log, ack, async () => {
      const { courtId } = parsePayload(WatchPayload, payload ?? {});
      const scope = await deps.situation.scopeOf(socket.data.user, courtId, socket.handshake.address);
      for (const room of socket.rooms) if (room.startsWith('situation:')) void socket.leave(room);
      void socket.join(situationRoom(scope));
      return { courtId: scope };
    }),
  );
}

/** Pushes each debounced change to its court's room and to the all-courts room. */
export function pushSituationChanges(io: RealtimeServer, signals: SituationSignals): () => void {
  return signals.onChanged((courtId) => {
    io.to(situationRoom(courtId)).to(situationRoom(null)).emit('situation:changed', { courtId });
  });
}
