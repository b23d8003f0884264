/**
 * Drops connections that stopped reading. engine.io keeps what it could not send yet in memory —
 * its write buffer (packets waiting for the transport) and, for a WebSocket, the `ws` socket's
 * buffered bytes — and a client that does not read (a frozen tab, a cable pulled out behind a
 * switch that keeps the TCP connection open) makes both grow with every broadcast until the
 * heartbeat gives up. Checked every second: a connection whose transport has not drained for
 * `stallMs`, or that has more than `maxPackets` packets or `maxBytes` bytes waiting, is closed at
 * once (a WebSocket is terminated, not closed politely: a close frame would wait behind the same
 * stuck data), which releases what it held.
 */

/** engine.io's socket and transport, as far as the watchdog reads them (some are internal). */
type EngineConnection = {
  id: string;
  readyState: string;
  writeBuffer: { data?: unknown }[];
  transport: {
    name: string;
    writable: boolean;
    socket?: { bufferedAmount?: number; terminate?: () => void };
    on(event: 'drain', listener: () => void): unknown;
  };
  on(event: 'close', listener: () => void): unknown;
  close(discard?: boolean): unknown;
};

type Engine = { on(event: 'connection', listener: (connection: EngineConnection) => void): unknown; off(event: 'connection', listener: (connection: EngineConnection) => void): unknown };

export type StallWatchdogOptions = {
  stallMs: number;
  maxPackets: number;
  maxBytes: number;
  onDrop: (drop: { id: string; reason: 'stalled' | 'packets' | 'bytes'; packets: number; bytes: number; stalledMs: number }) => void;
  intervalMs?: number;
  now?: () => number;
};

type Watched = { transport: object; drainedAt: number };

/** Starts watching the engine's connections; returns what stops it. */
export function watchStalls(engineLike: unknown, options: StallWatchdogOptions): () => void {
  const engine = engineLike as Engine;
  const now = options.now ?? (() => performance.now());
  const connections = new Map<EngineConnection, Watched>();

  const onConnection = (connection: EngineConnection) => {
    connections.set(connection, follow(connection));
    connection.on('close', () => connections.delete(connection));
  };
  /** Follows the connection's current transport (it changes on an upgrade from polling). */
  const follow = (connection: EngineConnection): Watched => {
    const watched: Watched = { transport: connection.transport, drainedAt: now() };
    connection.transport.on('drain', () => {
      watched.drainedAt = now();
    });
    return watched;
  };
  engine.on('connection', onConnection);

  const timer = setInterval(() => {
    const at = now();
    for (const [connection, known] of connections) {
      if (connection.readyState !== 'open') continue;
      let watched = known;
      if (watched.transport !== connection.transport) {
        watched = follow(connection);
        connections.set(connection, watched);
      }
      const { transport } = connection;
      if (transport.writable) watched.drainedAt = at;
      const packets = connection.writeBuffer.length;
      // What the ws socket holds, and the packets waiting for it (counted only while it is not writable).
      const bytes = (transport.socket?.bufferedAmount ?? 0) + (transport.writable ? 0 : waitingBytes(connection.writeBuffer));
      const stalledMs = at - watched.drainedAt;
      const reason = packets > options.maxPackets ? 'packets' : bytes > options.maxBytes ? 'bytes' : stalledMs > options.stallMs ? 'stalled' : null;
      if (!reason) continue;
      connections.delete(connection);
      options.onDrop({ id: connection.id, reason, packets, bytes, stalledMs: Math.round(stalledMs) });
      if (transport.name === 'websocket' && typeof transport.socket?.terminate === 'function') transport.socket.terminate();
      else connection.close(true);
    }
  }, options.intervalMs ?? 1000);
  timer.unref();

  return () => {
    clearInterval(timer);
    engine.off('connection', onConnection);
    connections.clear();
  };
}

function waitingBytes(packets: { data?: unknown }[]): number {
  let bytes = 0;
  for (const { data } of packets) {
    if (typeof data === 'string') bytes += data.length;
    else if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) bytes += data.byteLength;
  }
  return bytes;
}
