/**
 * The iceServers each browser connection is handed (docs/media.md, "TURN setup for a court").
 * With MEDIA_TURN_SECRET set, credentials are made per connection and expire (the TURN REST API,
 * draft-uberti-behave-turn-rest, which coturn's `use-auth-secret` checks): the username is
 * `<expiry unix time>:<label>`, the credential base64(HMAC-SHA1(secret, username)). The TURN
 * server needs no user list and nothing from e-Zal but the shared secret; a credential copied out
 * of a page stops working at its expiry. Without the secret, the static MEDIA_TURN_USERNAME and
 * MEDIA_TURN_CREDENTIAL are handed out as they are.
 */
import { createHmac } from 'node:crypto';
import type { Config } from '../config.ts';
import type { IceServer } from '../shared/socket/media.ts';

export type TurnCredentials = { username: string; credential: string };

/** Credentials for `label` (anything without ':'; a connection's id), valid until `expiresAt` (unix seconds). */
export function turnRestCredentials(secret: string, label: string, expiresAt: number): TurnCredentials {
  const username = `${Math.floor(expiresAt)}:${label.replace(/:/g, '-')}`;
  return { username, credential: createHmac('sha1', secret).update(username).digest('base64') };
}

/** What the server tells the browsers of one connection, from MEDIA_TURN_*: a function of the connection's label. */
export function iceServersFor(turn: Config['media']['turn'], now: () => number = Date.now): (label: string) => IceServer[] {
  if (!turn) return () => [];
  const { urls, username, credential, secret, ttlSeconds } = turn;
  if (secret !== undefined) return (label) => [{ urls, ...turnRestCredentials(secret, label, now() / 1000 + ttlSeconds) }];
  const fixed: IceServer[] = [{ urls, ...(username ? { username } : {}), ...(credential ? { credential } : {}) }];
  return () => fixed;
}
