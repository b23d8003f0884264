/**
 * People of a hearing in the clustered form (server/cluster/): connected through haproxy with the
 * hearing named on the handshake (`?hearing=`), as the web app's pages connect, so that haproxy
 * sends all of them to the node holding the hearing; socket.io reconnects by itself, as a
 * browser's does, and the HearingFollower rejoins with `since`.
 */
import { io as connect } from 'socket.io-client';
import { HearingFollower, type HearingSocket } from '../../server/src/shared/socket/hearing-follower.ts';
import type { Workstation } from './hall.ts';
import { ApiClient } from './server.ts';

/**
 * Logs in (unless given a logged-in client) and follows the hearing through `url` (haproxy's).
 * `ackTimeoutMs`: longer for commands that wait on media (a recording start prepares its recorders).
 */
export async function routedWorkstation(url: string, username: string, hearingId: string, api?: ApiClient, ackTimeoutMs = 5_000): Promise<Workstation> {
  if (!api) {
    api = new ApiClient(url);
    await api.login(username);
  }
  const socket: HearingSocket = connect(url, {
    transports: ['websocket'],
    query: { hearing: hearingId },
    extraHeaders: { cookie: api.cookieHeader },
    reconnectionDelay: 50,
    reconnectionDelayMax: 250,
    forceNew: true,
  });
  return { username, api, socket, follower: new HearingFollower({ socket, hearingId, ackTimeoutMs }) };
}

/** The demo hearing's id in the cluster's PostgreSQL (the demo court is loaded by the first node). */
export const DEMO_HEARING_SQL = "select h.id from hearings h join cases c on c.id = h.case_id where c.case_number = '7511-26-00-1/245'";
