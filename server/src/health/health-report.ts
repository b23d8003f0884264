/**
 * What `GET /api/health` says, from what was measured: pure, so every rule is tested without a
 * full disk (health-report.spec.ts). A reason is `failing` when the court cannot work or cannot
 * record (503), `warning` when it works but someone should act soon (200). Messages name what is
 * wrong by its role (the database, the recordings folder), never a path: the answer is public.
 */
import type { MediaHealth } from '../../../media/src/worker-pool.ts';
import type { StorageLocationName, StorageReport } from './storage-probe.ts';

export type HealthReasonCode = 'database_down' | 'disk_full' | 'not_writable' | 'disk_low' | 'media_worker_down' | 'media_unreachable' | 'media_address';
export type HealthReason = { code: HealthReasonCode; level: 'failing' | 'warning'; where: 'database' | StorageLocationName | 'media'; message: string };

export type HealthInput = {
  databaseUp: boolean;
  storage: StorageReport;
  media: (MediaHealth & { warnings?: string[] }) | null;
  /** Below this, a folder's disk is a warning (HEALTH_MIN_FREE_MB). */
  minFreeBytes: number;
  /** Below this, it is failing: `disk_full` before the first write fails (HEALTH_CRITICAL_FREE_MB). */
  criticalFreeBytes: number;
};

export type HealthAssessment = {
  httpStatus: 200 | 503;
  status: 'ok' | 'warning' | 'failing';
  reasons: HealthReason[];
  database: { status: 'ok' | 'down' | 'not_writable' };
  storage: { status: 'ok' | 'low' | 'failing'; locations: { name: StorageLocationName; freeMb: number | null; writable: boolean }[] };
};

const FOLDER: Record<StorageLocationName, string> = { data: 'The data folder', files: 'The case files folder', recordings: 'The recordings folder' };
const MB = 1024 * 1024;

export function assessHealth(input: HealthInput): HealthAssessment {
  const reasons: HealthReason[] = [];
  const failing = (code: HealthReasonCode, where: HealthReason['where'], message: string) => reasons.push({ code, level: 'failing', where, message });
  const warning = (code: HealthReasonCode, where: HealthReason['where'], message: string) => reasons.push({ code, level: 'warning', where, message });

  const db = input.storage.database;
  if (!input.databaseUp) failing('database_down', 'database', 'The database does not answer');
  else if (db.failure === 'disk_full') failing('disk_full', 'database', 'The database cannot save: its disk is full');
  else if (db.failure) failing('not_writable', 'database', 'The database cannot save: its disk refuses writes');

  for (const location of input.storage.locations) {
    const folder = FOLDER[location.name];
    const freeMb = location.freeBytes === null ? null : Math.floor(location.freeBytes / MB);
    const full = location.failure === 'disk_full' || (location.freeBytes !== null && location.freeBytes < input.criticalFreeBytes);
    if (full) failing('disk_full', location.name, `${folder} cannot save: its disk is full (${freeMb ?? '?'} MB free)`);
    else if (location.failure) failing('not_writable', location.name, `${folder} cannot save: its disk refuses writes`);
    else if (location.freeBytes !== null && location.freeBytes < input.minFreeBytes) warning('disk_low', location.name, `${folder} has ${freeMb} MB free`);
  }

  const media = input.media;
  if (media && media.status !== 'ok') {
    const dead = media.workers.filter((w) => !w.alive).length;
    if (media.workers.length === 0) failing('media_worker_down', 'media', 'No media worker is running: nobody can be seen or heard');
    else if (dead > 0) failing('media_worker_down', 'media', `${dead} of ${media.workers.length} media workers are down: video and sound may stop`);
    else failing('media_unreachable', 'media', 'No media address could be opened: nobody can connect by video');
  }
  for (const text of media?.warnings ?? []) warning('media_address', 'media', text);

  const isFailing = reasons.some((r) => r.level === 'failing');
  const dbFailed = input.storage.database.failure !== null;
  const locationsFailing = reasons.some((r) => r.level === 'failing' && (r.code === 'disk_full' || r.code === 'not_writable'));
  return {
    httpStatus: isFailing ? 503 : 200,
    status: isFailing ? 'failing' : reasons.length > 0 ? 'warning' : 'ok',
    reasons,
    database: { status: !input.databaseUp ? 'down' : dbFailed ? 'not_writable' : 'ok' },
    storage: {
      status: locationsFailing ? 'failing' : reasons.some((r) => r.code === 'disk_low') ? 'low' : 'ok',
      locations: input.storage.locations.map((l) => ({ name: l.name, freeMb: l.freeBytes === null ? null : Math.floor(l.freeBytes / MB), writable: l.failure === null })),
    },
  };
}
