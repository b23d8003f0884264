/**
 * The hearing's socket handlers: thin. Each validates its payload (hearing-schemas.ts), checks that
 * the socket has joined the hearing it names, and calls the hearings service; broadcasting the
 * committed events is `broadcastCommitted`'s, so every change reaches every follower the same way,
 * whoever caused it.
 */
import type { HearingSeat } from '../hearings/hearing-access.ts';
import type { HearingsService } from '../hearings/hearings.service.ts';
import { displayEvent } from '../shared/hearing/display-view.ts';
import { AppError } from '../shared/errors.ts';
import { parsePayload } from './parse-payload.ts';
import { CommandPayloads, HistoryPayload, JoinPayload, LeavePayload, ResyncPayload, toCommand, type CommandName } from '../shared/hearing/schemas.ts';
import type { PresenceTracker } from './presence.ts';
import type { HearingCommand } from '../shared/hearing/rules.ts';
import { answer, type Log, type RealtimeServer, type RealtimeSocket } from './socket-types.ts';
import type { Ack, CommandResult } from '../shared/socket/events.ts';

/** Everyone following the hearing but the wall screen: they receive its events as committed. */
export const hearingRoom = (hearingId: string) => `hearing:${hearingId}`;
/** The hall's wall screen: it receives the events as display-view.ts lets it see them. */
export const displayRoom = (hearingId: string) => `hearing-display:${hearingId}`;
const roomOf = (hearingId: string, seat: HearingSeat) => (seat.role === 'hall_display' ? displayRoom(hearingId) : hearingRoom(hearingId));

/**
 * Work a command needs done before it is decided and committed, or null when it needs none: the
 * recorders set up before a start or resume of the recording (RecordingService.prepare), so that
 * media counts from the committed moment. Resolves to what to call once the command has run.
 */
export type PrepareCommand = (hearingId: string, seat: HearingSeat, command: HearingCommand) => Promise<(() => void) | null>;

type Deps = { hearings: HearingsService; presence: PresenceTracker; log: Log; prepareCommand?: PrepareCommand };

export function registerHearingHandlers(socket: RealtimeSocket, { hearings, presence, log, prepareCommand }: Deps): void {
  const user = socket.data.user;
  const ip = socket.handshake.address;
  /** The hearings this socket has joined, with the seat it holds in each. */
  const joined = new Map<string, HearingSeat>();

  const seatIn = (hearingId: string): HearingSeat => {
    const seat = joined.get(hearingId);
    if (!seat) throw new AppError('not_joined', 'Join the hearing first');
    return seat;
  };

  socket.on('hearing:join', (payload, ack) =>
    answer(log, ack, async () => {
      const { hearingId, since } = parsePayload(JoinPayload, payload);
      // In the room before the state is read: every event committed from then on reaches the
      // socket, and those the state already holds are dropped by the client as duplicates.
      const { seat, sync } = await hearings.join(user, hearingId, ip, since, (seat) => void socket.join(roomOf(hearingId, seat)));
      if (!joined.has(hearingId)) presence.add(hearingId, socket.id, { userId: user.id, fullName: user.fullName, role: seat.role });
      joined.set(hearingId, seat);
      return sync;
    }),
  );

  socket.on('hearing:resync', (payload, ack) =>
    answer(log, ack, () => {
      const { hearingId, since } = parsePayload(ResyncPayload, payload);
      return hearings.resync(user, seatIn(hearingId), hearingId, since);
    }),
  );

  socket.on('hearing:history', (payload, ack) =>
    answer(log, ack, () => {
      const { hearingId, before, types, limit } = parsePayload(HistoryPayload, payload);
      return hearings.history(seatIn(hearingId), hearingId, { before, types, limit: limit ?? 100 });
    }),
  );

  socket.on('hearing:leave', (payload, ack) =>
    answer(log, ack, () => {
      const { hearingId } = parsePayload(LeavePayload, payload);
      const seat = joined.get(hearingId);
      if (seat) void socket.leave(roomOf(hearingId, seat));
      if (joined.delete(hearingId)) presence.remove(hearingId, socket.id);
      return { left: true as const };
    }),
  );

  for (const name of Object.keys(CommandPayloads) as CommandName[]) {
    // One generic handler for every command; the typed contract is checked at the edges (events.ts).
    (socket.on as (event: string, handler: (payload: unknown, ack: (answer: Ack<CommandResult>) => void) => void) => void)(name, (payload, ack) =>
      answer(log, ack, async () => {
        const parsed = parsePayload(CommandPayloads[name], payload) as { hearingId: string; expectedVersion?: number };
        const seat = seatIn(parsed.hearingId);
        const command = (toCommand[name] as (p: unknown) => ReturnType<(typeof toCommand)[CommandName]>)(parsed);
        const run = () => hearings.execute({ user, seat, ip }, parsed.hearingId, command, parsed.expectedVersion);
        const preparing = await (prepareCommand?.(parsed.hearingId, seat, command) ?? null);
        if (!preparing) return run();
        // Decided and committed once prepared, against the state as it is then.
        try {
          return await run();
        } finally {
          preparing();
        }
      }),
    );
  }

  socket.on('disconnect', () => {
    for (const hearingId of joined.keys()) presence.remove(hearingId, socket.id);
    joined.clear();
  });
}

/**
 * Sends every committed event to the hearing's rooms, in version order: as it is, and as the wall
 * screen sees it.
 *
 * Most hearings have no wall screen following. In one process the room says so, and its copy is
 * neither made nor sent. Across nodes (`acrossNodes`, REDIS_URL) this node cannot know whether a
 * screen follows on another, so the copy is always published: one more entry in the Redis stream
 * per event, a few hundred bytes and tens of microseconds, next to a commit that costs more.
 * Knowing would need a count of screens per hearing kept in Redis, and a count left wrong by a node
 * that died would leave a screen without its events; a wasted publish leaves nothing wrong.
 */
export function broadcastCommitted(io: RealtimeServer, hearings: HearingsService, { acrossNodes }: { acrossNodes: boolean }): () => void {
  return hearings.onCommitted((events) => {
    for (const event of events) {
      io.to(hearingRoom(event.hearingId)).emit('hearing:changed', event);
      const screens = displayRoom(event.hearingId);
      if (acrossNodes || io.sockets.adapter.rooms.has(screens)) io.to(screens).emit('hearing:changed', displayEvent(event));
    }
  });
}
