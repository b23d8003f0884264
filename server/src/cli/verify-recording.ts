/**
 * `npm run verify:recording -- <hearing id> [--json]`: proves a hearing's recording is complete and
 * unchanged (media/src/recording/verify-recording.ts), against the configured database (DATA_DIR,
 * or DATABASE_URL's PostgreSQL) and RECORDINGS_DIR, with or without the server running. Prints one line per track and, when
 * something is wrong, the first bad segment; exits 0 when all is well, 1 when not, 2 on misuse.
 */
import { parseArgs } from 'node:util';
import { openDb } from '../../../db/database.ts';
import { verifyRecording } from '../../../media/src/recording/verify-recording.ts';
import { loadConfig, loadDotEnv } from '../config.ts';
import { HearingsRepository } from '../hearings/hearings.repository.ts';
import { RecordingRepository } from '../recording/recording.repository.ts';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { json: { type: 'boolean', default: false } } });
const [hearingId] = positionals;
if (!hearingId) {
  console.error('usage: npm run verify:recording -- <hearing id> [--json]');
  process.exit(2);
}
loadDotEnv();
const config = loadConfig();
const database = await openDb({ dataDir: config.dataDir, databaseUrl: config.cluster.databaseUrl });
try {
  const hearings = new HearingsRepository(database);
  if (!(await hearings.find(hearingId))) {
    console.error(`error: no hearing ${hearingId}`);
    process.exitCode = 2;
  } else {
    const store = new RecordingRepository(database);
    // The heads first: each was reported after its segment was stored, so the manifest read next holds it.
    const events = await hearings.events(hearingId, { types: ['recording.chain_heads'], limit: 1_000_000 });
    const anchors = events.flatMap((e) => (e.type === 'recording.chain_heads' ? e.payload.heads : []));
    const { tracks, segments } = await store.manifest(hearingId);
    const verdict = await verifyRecording({ root: config.recording.dir, tracks, segments: (id) => segments.get(id) ?? [], anchors });
    if (values.json) console.log(JSON.stringify(verdict, null, 2));
    else {
      for (const t of verdict.tracks) {
        console.log(`${t.ok ? 'ok  ' : 'BAD '} ${t.kind} ${t.label} (${t.trackId}): ${t.segments} segments, ${(t.durationMs / 1000).toFixed(1)} s, ${t.bytes} bytes`);
      }
      if (verdict.tracks.length === 0) console.log('this hearing has no recording');
      console.log(`${verdict.anchorsChecked} chain heads from the event log checked`);
      if (verdict.firstBad) {
        const b = verdict.firstBad;
        console.log(`FIRST BAD SEGMENT: track ${b.label} (${b.trackId}) segment ${b.seq} ${b.file ?? ''}: ${b.problem}`);
      } else console.log('the recording is complete and unchanged');
    }
    process.exitCode = verdict.ok ? 0 : 1;
  }
} finally {
  await database.close();
}
