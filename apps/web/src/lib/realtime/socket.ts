/**
 * The app's one socket.io connection (same origin, path /socket.io, authenticated by the session
 * cookie). For now the app only shows whether it is connected; the hall workstations will use
 * `realtimeSocket()` to join hearings. Everything socket-related stays in this module.
 */
import { io, type Socket } from 'socket.io-client';

export type ConnectionState = 'connecting' | 'online' | 'offline';

type Listener = (state: ConnectionState) => void;

let socket: Socket | null = null;
let state: ConnectionState = 'offline';
const listeners = new Set<Listener>();

function setState(next: ConnectionState): void {
  state = next;
  for (const listener of listeners) listener(next);
}

/** Opens the connection if it is not open yet, and returns it. Call only while logged in. */
export function realtimeSocket(): Socket {
  if (socket) return socket;
  setState('connecting');
  socket = io({ path: '/socket.io', transports: ['websocket', 'polling'], withCredentials: true });
  socket.on('connect', () => setState('online'));
  socket.on('disconnect', () => setState('offline'));
  socket.on('connect_error', () => setState('offline'));
  // socket.io retries on its own after a drop; show that it is trying.
  socket.io.on('reconnect_attempt', () => setState('connecting'));
  return socket;
}

/** Closes the connection (on logout), so nothing keeps talking to the server for a former user. */
export function closeRealtime(): void {
  if (!socket) return;
  socket.removeAllListeners();
  socket.io.removeAllListeners();
  socket.disconnect();
  socket = null;
  setState('offline');
}

/** Calls `listener` now and on every change; returns the function that stops it. */
export function watchConnection(listener: Listener): () => void {
  listeners.add(listener);
  listener(state);
  return () => listeners.delete(listener);
}
