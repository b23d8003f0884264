/**
 * This node's side of the media room leases (docs/media.md, "Media failover"; the table and its
 * rules: media-room-leases.repository.ts). MediaRooms calls `take` before it makes a hearing's
 * room: the lease is taken (or the refusal `media_elsewhere`, naming the live holder, is thrown to
 * the peer asking), then renewed every `renewMs` while the room is open and given back when it
 * closes. A renewal that finds the lease taken over (this node could not renew it for a whole TTL)
 * calls `lost`, and the room is closed so its peers rejoin where the lease now is. A renewal that
 * fails (the database is unreachable) is only logged: the next one tries again.
 */
import { AppError } from '../shared/errors.ts';
import type { RoomLease } from '../../../media/src/media-rooms.ts';
import type { MediaRoomLeasesRepository } from './media-room-leases.repository.ts';

type Log = { info(obj: object, msg: string): void; warn(obj: object, msg: string): void; error(obj: object, msg: string): void };

export type MediaRoomLeaseOptions = {
  repository: MediaRoomLeasesRepository;
  /** This node: its NODE_NAME (haproxy's server name for it) and its address, for operators. */
  node: { id: string; address: string };
  ttlMs: number;
  renewMs: number;
  log: Log;
};

export function mediaRoomLease(options: MediaRoomLeaseOptions): RoomLease {
  const { repository, node, ttlMs, renewMs, log } = options;
  return async (hearingId, lost) => {
    const outcome = await repository.acquire(hearingId, node, ttlMs);
    if (!outcome.held) {
      const { nodeId, expiresAt } = outcome.lease;
      throw new AppError('media_elsewhere', `The media of this hearing is on node ${nodeId} (its lease runs to ${expiresAt.toISOString()})`, { node: nodeId });
    }
    const acquiredAt = outcome.lease.acquiredAt;
    log.info({ hearingId, node: node.id }, 'media room lease taken');
    let renewing = false;
    const timer = setInterval(() => {
      if (renewing) return;
      renewing = true;
      repository
        .renew(hearingId, node.id, ttlMs)
        .then((renewed) => {
          if (renewed) return;
          clearInterval(timer);
          log.error({ hearingId, node: node.id }, 'media room lease taken over by another node; closing the room here');
          lost();
        })
        .catch((error: unknown) => log.warn({ err: error, hearingId }, 'media room lease not renewed; trying again'))
        .finally(() => (renewing = false));
    }, renewMs);
    timer.unref();
    return {
      release() {
        clearInterval(timer);
        // Only the row this hold took: a new room of the same hearing on this node has its own.
        repository.release(hearingId, node.id, acquiredAt).catch((error: unknown) => log.warn({ err: error, hearingId }, 'media room lease not released; it expires by itself'));
      },
    };
  };
}
