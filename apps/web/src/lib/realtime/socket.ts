/**
 * The app's one socket.io connection (same origin, path /socket.io, authenticated by the session
 * cookie), typed by the server's contract. The header shows whether it is connected; the hearing
 * manager (state/hearing.svelte.ts) follows hearings on it. Components never emit on it themselves.
 */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '$server/shared/socket/events.ts';

export type RealtimeSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type ConnectionState = 'connecting' | 'online' | 'offline';

type Listener = (state: ConnectionState) => void;

let socket: RealtimeSocket | null = null;
let state: ConnectionState = 'offline';
/** The hearing the connection is routed by (`?hearing=` on the handshake), or null. */
let route: string | null = null;
const listeners = new Set<Listener>();

function setState(next: ConnectionState): void {
  state = next;
  for (const listener of listeners) listener(next);
}

/** Opens the connection if it is not open yet, and returns it. Call only while logged in. */
export function realtimeSocket(): RealtimeSocket {
  if (socket) return socket;
  setState('connecting');
  socket = io({ path: '/socket.io', transports: ['websocket', 'polling'], withCredentials: true, query: routeQuery() });
  socket.on('connect', () => setState('online'));
  socket.on('disconnect', () => setState('offline'));
  socket.on('connect_error', () => setState('offline'));
  // socket.io retries on its own after a drop; show that it is trying.
  socket.io.on('reconnect_attempt', () => setState('connecting'));
  return socket;
}

/**
 * Names the hearing this page works in on the connection's handshake (`?hearing=<id>`): in a
 * cluster, haproxy sends every connection of one hearing to the node holding its media room
 * (server/cluster/haproxy.cfg, docs/deployment.md). When the hearing changes on an open
 * connection, the connection is made again with the new name; the hearing follower resyncs by
 * itself after a reconnection. The server does not read the parameter.
 */
export function routeTo(hearingId: string | null): void {
  if (route === hearingId) return;
  route = hearingId;
  if (!socket) return;
  socket.io.opts.query = routeQuery();
  if (socket.connected || socket.active) {
    socket.disconnect();
    socket.connect();
  }
}

function routeQuery(): Record<string, string> {
  return route === null ? {} : { hearing: route };
}

/** Closes the connection (on logout), so nothing keeps talking to the server for a former user. */
export function closeRealtime(): void {
  if (!socket) return;
  socket.removeAllListeners();
  socket.io.removeAllListeners();
  socket.disconnect();
  socket = null;
  route = null;
  setState('offline');
}

/** Calls `listener` now and on every change; returns the function that stops it. */
export function watchConnection(listener: Listener): () => void {
  listeners.add(listener);
  listener(state);
  return () => listeners.delete(listener);
}
