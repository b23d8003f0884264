/**
 * The server of the hall.follow benchmark, in its own process: the real suite (startServer, as
 * `npm start` runs it) plus one bench-only socket command: `bench:broadcast` relays its payload to
 * a hearing's room with nothing else — the bare socket.io broadcast the hearing's own path is
 * compared with. Reports its address to the parent over IPC; stops when told or orphaned.
 */
import { pino } from 'pino';
import type { Socket } from 'socket.io';
import { loadConfig } from '../server/src/config.ts';
import { startServer } from '../server/src/server.ts';

const config = loadConfig({
  DATA_DIR: process.env.DATA_DIR!,
  HOST: '127.0.0.1',
  PORT: '0',
  MEDIA_WORKERS: '0',
  LOG_LEVEL: 'silent',
  EZAL_DEMO: '0',
  // The benchmarks seed long hearings and time commands back to back at machine speed, far beyond
  // a person's pace that SOCKET_COMMAND_RATE is set for.
  SOCKET_COMMAND_RATE: '100000',
  // motions.deliver: the bench's own CA, for the filers' signatures.
  ...(process.env.ECASE_TRUST_ROOTS ? { ECASE_TRUST_ROOTS: process.env.ECASE_TRUST_ROOTS } : {}),
});
const server = await startServer(config, pino({ level: 'silent' }));
const io = server.app.io!;

io.on('connection', (socket) => {
  (socket as unknown as Socket).on('bench:broadcast', (payload: { hearingId: string }, ack?: () => void) => {
    (io.to(`hearing:${payload.hearingId}`) as unknown as { emit(event: string, payload: unknown): void }).emit('bench:broadcasted', payload);
    ack?.();
  });
});

const stop = async () => {
  await server.close();
  process.exit(0);
};
process.on('message', (message) => message === 'stop' && void stop());
process.on('disconnect', () => void stop());
process.send!({ url: server.url });
