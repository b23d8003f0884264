/**
 * Recording a hearing through the real server: the secretary starts it before the hall's media
 * room exists (the state says "no sources"), the room is plugged in (a real mediasoup worker with
 * synthetic microphone and camera, through `app.recording.attachRoom`, as the integration with the
 * hall's media will), a break pauses and resumes it, and every workstation — the hall display
 * included — sees each step. Then the HTTP side: the timeline, a segment by byte range, the
 * verifier, a copy with its manifest, refusals, audit lines, and `npm run verify:recording`
 * naming a segment someone changed.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import yauzl from 'yauzl';
import { MEDIA_CODECS, SyntheticSources } from '../../media/src/recording/testing/synthetic-sources.ts';
import { resolveWorkerBin } from '../../media/worker/worker-bin.ts';
import type { CommandName } from '../../server/src/shared/hearing/schemas.ts';
import { closeAll, dataOf, demoHearing, inStep, seedOtherCase, until, workstation, type DemoHearing, type Workstation } from '../helpers/hall.ts';
import { ApiClient, startTestServer, toolEnvOf, type TestServer } from '../helpers/server.ts';
import { sqlOf } from '../helpers/sql.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..', '..');

describe('recording a hearing', () => {
  let server: TestServer;
  let demo: DemoHearing;
  let worker: types.Worker;
  let room: SyntheticSources;
  let judge: Workstation, secretary: Workstation, prosecutor: Workstation, display: Workstation;
  let everyone: Workstation[];

  before(async () => {
    server = await startTestServer({ RECORDING_SEGMENT_SECONDS: '2', RECORDING_CHAIN_HEAD_SECONDS: '3' });
    demo = await demoHearing(server.db);
    await seedOtherCase(server.db);
    [judge, secretary, prosecutor, display] = await Promise.all(['judge', 'secretary', 'prosecutor', 'hall1'].map((u) => workstation(server.url, u, demo.hearingId)));
    everyone = [judge, secretary, prosecutor, display];
    await Promise.all(everyone.map((s) => inStep(s)));
    worker = await mediasoup.createWorker({ workerBin: resolveWorkerBin(), logLevel: 'warn' });
    room = new SyntheticSources(await worker.createRouter({ mediaCodecs: MEDIA_CODECS }));
  });
  after(async () => {
    closeAll(everyone ?? []);
    await server?.close();
    room?.close();
    worker?.close();
  });

  const act = async (station: Workstation, name: CommandName) => {
    const { version } = dataOf(await station.follower.send(name, {} as never));
    await Promise.all(everyone.map((s) => s.follower.reached(version)));
  };
  const refused = async (station: Workstation, name: CommandName) => {
    const answer = await station.follower.send(name, {} as never);
    return 'error' in answer ? answer.error.code : 'accepted';
  };
  const recordingSeenBy = (s: Workstation) => s.follower.replica.state!.recording;
  const segmentsInDb = async () => (await sqlOf(server).one<{ n: number }>('select count(*) as n from recording_segments'))!.n;

  test('start, refusals, the media room plugged in (every screen learns its sources), a break pausing and resuming, the room lost and back, stop: every screen sees it', async () => {
    await act(judge, 'hearing:open');
    assert.equal(await refused(prosecutor, 'recording:start'), 'forbidden_action', 'a party does not control the recording');
    assert.equal(await refused(secretary, 'recording:pause'), 'invalid_transition', 'nothing to pause yet');

    await act(secretary, 'recording:start');
    for (const s of everyone) assert.deepEqual([recordingSeenBy(s).status, recordingSeenBy(s).sources], ['recording', 0], `${s.username} sees recording, no sources`);

    await room.add('hall-mic-1', 'audio', 'Микрофон судьи');
    await room.add('hall-cam-1', 'video', 'Камера зала');
    await server.app.recording.attachRoom(demo.hearingId, room);
    await until(async () => (await segmentsInDb()) >= 6, 30_000);
    await until(() => everyone.every((s) => recordingSeenBy(s).sources === 2), 10_000);

    await act(judge, 'hearing:start-break');
    for (const s of everyone) assert.deepEqual([recordingSeenBy(s).status, recordingSeenBy(s).pauseReason], ['paused', 'break'], `${s.username} sees the break pause`);
    assert.equal(await refused(secretary, 'recording:resume'), 'invalid_transition', 'no recording on a break');
    // The recorders close their last segments (hashed and listed) and go.
    await until(() => server.app.recording.recorderOf(demo.hearingId)!.status().sources === 0, 20_000);
    const atBreak = await segmentsInDb();
    await new Promise((resolve) => setTimeout(resolve, 2500));
    assert.equal(await segmentsInDb(), atBreak, 'nothing is recorded during the break');

    await act(judge, 'hearing:end-break');
    for (const s of everyone) assert.equal(recordingSeenBy(s).status, 'recording', `${s.username} sees the recording resumed`);
    assert.equal(recordingSeenBy(judge).sources, 2, 'with the room’s two sources');
    await until(async () => (await segmentsInDb()) >= atBreak + 2, 30_000);

    // The room goes away while recording (its worker died) and a new one comes: a gap on each
    // track, shown on every screen, closed when the sources record again.
    await server.app.recording.attachRoom(demo.hearingId, null);
    await until(() => everyone.every((s) => recordingSeenBy(s).openGaps.length === 2), 20_000);
    assert.deepEqual(
      recordingSeenBy(display).openGaps.map((g) => g.reason),
      ['source_lost', 'source_lost'],
    );
    await server.app.recording.attachRoom(demo.hearingId, room);
    await until(() => everyone.every((s) => recordingSeenBy(s).openGaps.length === 0), 30_000);
    const gapReasons = (await sqlOf(server).all<{ reason: string }>("select payload ->> 'reason' as reason from hearing_events where type = 'recording.gap_ended'")).map((g) => g.reason);
    assert.equal(gapReasons.filter((r) => r === 'source_lost').length, 2, gapReasons.join(', '));
    // Anything else is media that began late (the synthetic camera sends a key frame a second): logged, never silent.
    assert.deepEqual(
      gapReasons.filter((r) => r !== 'source_lost' && r !== 'late_start'),
      [],
      gapReasons.join(', '),
    );

    await act(secretary, 'recording:stop');
    for (const s of everyone) assert.equal(recordingSeenBy(s).status, 'stopped');
  });

  test('the timeline, a segment by byte range, the verifier, a copy with its manifest, refusals and audit', async () => {
    // The stop's last segments are taken in after the stop event.
    await until(() => server.app.recording.recorderOf(demo.hearingId)!.status().sources === 0, 20_000);
    const opened = await judge.api.get(`/api/hearings/${demo.hearingId}/recording`);
    assert.equal(opened.status, 200);
    const { tracks, events } = opened.body as { tracks: { trackId: string; kind: string; label: string; segments: { seq: number }[] }[]; events: { type: string }[] };
    assert.deepEqual(tracks.map((t) => [t.kind, t.label]).sort(), [
      ['audio', 'Микрофон судьи'],
      ['video', 'Камера зала'],
    ]);
    const types = events.map((e) => e.type);
    for (const type of ['hearing.opened', 'recording.started', 'recording.paused', 'break.started', 'break.ended', 'recording.resumed', 'recording.stopped']) {
      assert.ok(types.includes(type), `the timeline has ${type}`);
    }
    assert.ok(!types.includes('recording.chain_heads'), 'chain heads are not shown as events');

    // The hall mix, made after the stop: the audio mixed, the hall camera copied.
    await until(() => server.app.recording.hallMix(demo.hearingId) !== null, 30_000);
    const mixResponse = await fetch(`${server.url}/api/hearings/${demo.hearingId}/recording/mix`, { headers: { cookie: judge.api.cookieHeader } });
    assert.equal(mixResponse.status, 200);
    const mixFile = path.join(server.dataDir, 'downloaded-mix.webm');
    writeFileSync(mixFile, Buffer.from(await mixResponse.arrayBuffer()));
    const probe = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', mixFile]);
    assert.deepEqual(probe.stdout.trim().split('\n').sort(), ['opus', 'vp8']);

    const audio = tracks.find((t) => t.kind === 'audio')!;
    const segmentUrl = `${server.url}/api/hearings/${demo.hearingId}/recording/tracks/${audio.trackId}/segments/0`;
    const ranged = await fetch(segmentUrl, { headers: { cookie: judge.api.cookieHeader, range: 'bytes=0-3' } });
    assert.equal(ranged.status, 206);
    assert.equal(ranged.headers.get('content-type'), 'audio/webm');
    assert.deepEqual([...new Uint8Array(await ranged.arrayBuffer())], [0x1a, 0x45, 0xdf, 0xa3], 'a WebM (EBML) file');

    assert.equal((await display.api.get(`/api/hearings/${demo.hearingId}/recording`)).status, 403, 'the hall display plays nothing');
    const outsider = new ApiClient(server.url);
    await outsider.login('defender2');
    assert.equal((await outsider.get(`/api/hearings/${demo.hearingId}/recording`)).status, 403, 'a lawyer of another case is refused');

    const verdict = await judge.api.post(`/api/hearings/${demo.hearingId}/recording/verify`);
    assert.equal(verdict.status, 200);
    assert.equal(verdict.body.ok, true, JSON.stringify(verdict.body.firstBad));
    assert.ok(verdict.body.anchorsChecked >= 2);

    const copy = await fetch(`${server.url}/api/hearings/${demo.hearingId}/recording/export?tracks=${audio.trackId}`, { headers: { cookie: prosecutor.api.cookieHeader } });
    assert.equal(copy.status, 200);
    const entries = await unzip(Buffer.from(await copy.arrayBuffer()));
    const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8')) as { tracks: { folder: string; segments: { file: string; sha256: string }[] }[] };
    assert.equal(manifest.tracks.length, 1, 'only the chosen track');
    assert.equal(entries.size, manifest.tracks[0].segments.length + 1);
    for (const s of manifest.tracks[0].segments) {
      const bytes = entries.get(`${manifest.tracks[0].folder}/${s.file}`)!;
      assert.equal(createHash('sha256').update(bytes).digest('hex'), s.sha256, `${s.file} in the copy matches its hash`);
    }

    const mixCopy = await fetch(`${server.url}/api/hearings/${demo.hearingId}/recording/export?tracks=mix`, { headers: { cookie: prosecutor.api.cookieHeader } });
    const mixEntries = await unzip(Buffer.from(await mixCopy.arrayBuffer()));
    const mixManifest = JSON.parse(mixEntries.get('manifest.json')!.toString('utf8')) as { mix: { sha256: string } };
    assert.equal(createHash('sha256').update(mixEntries.get('hall-mix.webm')!).digest('hex'), mixManifest.mix.sha256, 'the hall mix copy matches its hash');

    // The mix filed with the signed protocol: the one there while it covers every segment; made
    // again when it is missing (the server restarted between the stop and the mix).
    const hearingDir = path.join(server.dataDir, 'recordings', demo.hearingId);
    const metaOf = () => JSON.parse(readFileSync(path.join(hearingDir, 'hall-mix.json'), 'utf8')) as { composedAt: number };
    const composedAt = metaOf().composedAt;
    const final = await server.app.recording.finalMix(demo.hearingId);
    assert.equal(final?.path, path.join(hearingDir, 'hall-mix.webm'));
    assert.equal(final?.video, true);
    assert.ok(final!.durationSec >= 4, `the whole recording: ${final!.durationSec} s`);
    assert.equal(metaOf().composedAt, composedAt, 'up to date: not made again');
    rmSync(path.join(hearingDir, 'hall-mix.json'));
    rmSync(path.join(hearingDir, 'hall-mix.webm'));
    assert.equal(server.app.recording.hallMix(demo.hearingId), null);
    const remade = await server.app.recording.finalMix(demo.hearingId);
    assert.deepEqual(remade, final, 'made again, the same recording');
    assert.ok(readFileSync(remade!.path).length > 0);

    const audit = await sqlOf(server).all<{ action: string; outcome: string; actor: string }>("select action, outcome, actor from audit_log where action like 'recording.%' order by at");
    const lines = audit.map((a) => `${a.actor} ${a.action} ${a.outcome}`);
    for (const line of ['judge recording.open allowed', 'hall1 recording.open denied', 'defender2 recording.open denied', 'judge recording.verify allowed', 'prosecutor recording.export allowed']) {
      assert.ok(lines.includes(line), `audited: ${line} (${lines.join('; ')})`);
    }
  });

  test('npm run verify:recording passes, then names the segment whose byte was flipped', async () => {
    const cli = (hearingId: string) =>
      run('node', ['server/src/cli/verify-recording.ts', hearingId], {
        cwd: ROOT,
        env: { ...process.env, EZAL_DEMO: '0', ...toolEnvOf(server) },
      }).then(
        (r) => ({ code: 0, out: r.stdout }),
        (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
      );
    const good = await cli(demo.hearingId);
    assert.equal(good.code, 0, good.out);
    assert.match(good.out, /complete and unchanged/);

    const row = (await sqlOf(server).one<{ dir: string; file: string; seq: number; track: string }>(
      "select t.dir, s.file, s.seq, t.id as track from recording_segments s join recording_tracks t on t.id = s.track_id where t.kind = 'video' and s.seq = 1",
    ))!;
    const file = path.join(server.dataDir, 'recordings', row.dir, row.file);
    const bytes = readFileSync(file);
    bytes[bytes.length - 10] ^= 0xff;
    writeFileSync(file, bytes);
    const bad = await cli(demo.hearingId);
    assert.equal(bad.code, 1, bad.out);
    assert.match(bad.out, new RegExp(`FIRST BAD SEGMENT: track .* \\(${row.track}\\) segment 1 .*${row.file}: hash_mismatch`));
  });
});

function unzip(zip: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (error, archive) => {
      if (error) return reject(error);
      const entries = new Map<string, Buffer>();
      archive.on('entry', (entry: yauzl.Entry) => {
        archive.openReadStream(entry, (err, stream) => {
          if (err) return reject(err);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            archive.readEntry();
          });
        });
      });
      archive.on('end', () => resolve(entries));
      archive.on('error', reject);
      archive.readEntry();
    });
  });
}
