// Makes the mediasoup worker binary available without internet access.
//
//   node media/worker/build.ts [mediasoup package dir]
//
// Default package dir: <repo>/node_modules/mediasoup. The binary goes to
// <cacheRoot>/mediasoup-worker/<key>/mediasoup-worker (see worker-bin.ts).
// Steps, each skipped once one succeeds:
//   1. the cached binary exists and runs: print its path, done;
//   2. mediasoup's prebuilt download (skipped when EZAL_MEDIASOUP_PREBUILT=0),
//      given at most 15 s since a closed network just times out;
//   3. the offline build: libsrtp 2 with OpenSSL, static, from Debian's source
//      package (libsrtp.ts, cached in its own prefix); then copy mediasoup's
//      worker sources to a temp dir, apply our patch (system libraries instead
//      of downloaded ones), meson + ninja, linking that libsrtp.
// node_modules is only read, never changed.

import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureLibsrtp, libsrtpPkgConfigDir, neededLibraries } from './libsrtp.ts';
import { DEFAULT_MEDIASOUP_DIR, cacheRoot, cachedWorkerBin, mediasoupVersion, patchFiles, workerCacheKey } from './worker-bin.ts';

const PREBUILT_TIMEOUT_MS = 15_000;

// What the offline build needs, and the Debian packages that provide it.
// (libsrtp comes from Debian's source package, built by libsrtp.ts: dpkg-dev unpacks it, make builds it.)
const APT_PACKAGES = 'meson ninja-build pkg-config g++ make patch binutils dpkg-dev libuv1-dev libssl-dev libabsl-dev libflatbuffers-dev flatbuffers-compiler';
const REQUIRED_PROGRAMS = ['meson', 'ninja', 'pkg-config', 'c++', 'cc', 'make', 'patch', 'strip', 'readelf', 'flatc', 'apt-get', 'dpkg-source'];
const REQUIRED_PKG_CONFIG = ['libuv', 'openssl', 'flatbuffers', 'absl_strings', 'absl_optional', 'absl_memory'];

function log(message: string): void {
  console.log(`[mediasoup-worker] ${message}`);
}

// mediasoup's main() exits with code 41 when started without the
// MEDIASOUP_VERSION variable (i.e. not by mediasoup itself). mediasoup's own
// install script uses the same check: it proves the binary loads and runs here
// (right CPU, shared libraries present) without starting a real worker.
function workerRuns(bin: string): boolean {
  const result = spawnSync(bin, [], { env: {}, stdio: 'ignore', timeout: 10_000 });
  return result.status === 41;
}

// Runs a command with inherited stdio; rejects if it cannot start or fails.
function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  log(`$ ${command} ${args.join(' ')}`);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: 'inherit', env });
    child.on('error', (error) => reject(new Error(`${command} could not start: ${error.message}`)));
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} failed (${signal ?? `exit code ${code}`})`));
    });
  });
}

// Puts a checked binary at `target` atomically: it is written under a temp
// name in the same directory and renamed, so a reader never sees half a file.
function installBinary(source: string, target: string, strip: boolean): void {
  mkdirSync(path.dirname(target), { recursive: true });
  const temp = `${target}.tmp-${process.pid}`;
  try {
    if (strip) {
      const result = spawnSync('strip', ['-o', temp, source], { stdio: 'inherit' });
      if (result.status !== 0) throw new Error('strip failed');
    } else {
      cpSync(source, temp);
    }
    chmodSync(temp, 0o755);
    if (!workerRuns(temp)) throw new Error(`the new binary does not run on this machine (${source})`);
    renameSync(temp, target);
  } finally {
    rmSync(temp, { force: true });
  }
}

// Same URL as mediasoup's npm-scripts.mjs (downloadPrebuiltWorker): the
// release assets of the repository named in mediasoup's package.json.
function prebuiltUrl(mediasoupDir: string, version: string): string {
  const pkg = JSON.parse(readFileSync(path.join(mediasoupDir, 'package.json'), 'utf8'));
  const base =
    process.env.MEDIASOUP_WORKER_PREBUILT_DOWNLOAD_BASE_URL ||
    `${String(pkg.repository.url)
      .replace(/^git\+/, '')
      .replace(/\.git$/, '')}/releases/download`;
  let name = `mediasoup-worker-${version}-${os.platform()}-${os.arch()}`;
  if (os.platform() === 'linux') name += `-kernel${os.release().split('.')[0]}`;
  return `${base}/${version}/${name}.tgz`;
}

// Tries mediasoup's prebuilt worker: a .tgz holding `mediasoup-worker` at its top.
async function tryPrebuilt(mediasoupDir: string, target: string): Promise<boolean> {
  const url = prebuiltUrl(mediasoupDir, mediasoupVersion(mediasoupDir));
  log(`trying the prebuilt worker (${PREBUILT_TIMEOUT_MS / 1000} s at most): ${url}`);
  const temp = mkdtempSync(path.join(os.tmpdir(), 'ezal-mediasoup-prebuilt-'));
  try {
    // One deadline for the whole download, body included.
    const response = await fetch(url, { signal: AbortSignal.timeout(PREBUILT_TIMEOUT_MS) });
    if (!response.ok) {
      log(`no prebuilt worker (HTTP ${response.status})`);
      return false;
    }
    const tarball = path.join(temp, 'worker.tgz');
    writeFileSync(tarball, Buffer.from(await response.arrayBuffer()));
    const untar = spawnSync('tar', ['-xzf', tarball, '-C', temp, 'mediasoup-worker'], { stdio: 'inherit' });
    if (untar.status !== 0) {
      log('the prebuilt tarball could not be unpacked');
      return false;
    }
    installBinary(path.join(temp, 'mediasoup-worker'), target, false);
    log('got the prebuilt worker');
    return true;
  } catch (error) {
    // fetch() hides the reason (no DNS, refused, timeout) in error.cause.
    const cause = (error as Error & { cause?: { code?: string } }).cause;
    log(`no prebuilt worker: ${(error as Error).message}${cause?.code ? ` (${cause.code})` : ''}`);
    return false;
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

// Fails early, naming the Debian packages, when a build tool or library is missing.
function checkBuildTools(): void {
  const missing: string[] = [];
  for (const program of REQUIRED_PROGRAMS) {
    if (spawnSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' }).status !== 0) missing.push(program);
  }
  for (const module of REQUIRED_PKG_CONFIG) {
    const found = spawnSync('pkg-config', ['--exists', module], { stdio: 'ignore' });
    if (found.status !== 0) missing.push(`${module} (pkg-config)`);
  }
  if (missing.length > 0) {
    throw new Error(`missing for the offline build: ${missing.join(', ')}.\n` + `Install them with: apt-get install -y ${APT_PACKAGES}`);
  }
}

async function buildOffline(mediasoupDir: string, target: string): Promise<void> {
  checkBuildTools();
  const version = mediasoupVersion(mediasoupDir);
  // First the static libsrtp 2 with OpenSSL; meson's dependency('libsrtp2') finds it first.
  const srtpPrefix = await ensureLibsrtp(cacheRoot());
  const pkgConfigPath = [libsrtpPkgConfigDir(srtpPrefix), process.env.PKG_CONFIG_PATH].filter(Boolean).join(path.delimiter);
  const mesonEnv = { ...process.env, PKG_CONFIG_PATH: pkgConfigPath };
  const temp = mkdtempSync(path.join(os.tmpdir(), 'ezal-mediasoup-build-'));
  const workerDir = path.join(temp, 'worker');

  // Copy the sources, leaving out build outputs mediasoup's own scripts may have left.
  log(`copying ${path.join(mediasoupDir, 'worker')} to ${workerDir}`);
  const sourceRoot = path.join(mediasoupDir, 'worker');
  const skipped = ['out', 'prebuild', 'pip_invoke'].map((name) => path.join(sourceRoot, name));
  cpSync(sourceRoot, workerDir, { recursive: true, filter: (source) => !skipped.includes(source) });

  try {
    for (const patch of patchFiles(version)) {
      await run('patch', ['-p1', '--forward', '--batch', '-i', patch], workerDir);
    }

    // nodownload: every dependency must come from the system (never a wrap file).
    await run('meson', ['setup', 'build', '--wrap-mode=nodownload', '--buildtype', 'release', '-Db_ndebug=true'], workerDir, mesonEnv);
    const jobs = String(os.availableParallelism());
    await run('ninja', ['-C', 'build', '-j', jobs, 'mediasoup-worker'], workerDir, mesonEnv);

    // The private libsrtp is linked in statically: the system's libsrtp2 (and NSS) must not be loaded.
    const built = path.join(workerDir, 'build', 'mediasoup-worker');
    const needed = neededLibraries(built);
    const wrong = needed.filter((name) => /^lib(srtp|nss3)/.test(name));
    if (wrong.length > 0) throw new Error(`the worker links ${wrong.join(', ')} instead of the static libsrtp 2 with OpenSSL`);
    if (!readFileSync(built).includes('AES-256 GCM using openssl')) throw new Error('the worker has no AES-GCM through OpenSSL');
    log(`links ${needed.join(' ')}; libsrtp 2 with OpenSSL is static inside`);

    log(`installing the stripped binary to ${target}`);
    installBinary(path.join(workerDir, 'build', 'mediasoup-worker'), target, true);
  } catch (error) {
    // Keep the half-built tree: its meson logs say what went wrong.
    log(`build directory kept for inspection: ${workerDir}`);
    throw error;
  }
  rmSync(temp, { recursive: true, force: true });
}

async function main(): Promise<void> {
  const mediasoupDir = path.resolve(process.argv[2] ?? DEFAULT_MEDIASOUP_DIR);
  const key = workerCacheKey(mediasoupDir);
  const target = cachedWorkerBin(mediasoupDir);

  if (existsSync(target)) {
    if (workerRuns(target)) {
      log(`cached worker ${key} is ready`);
      console.log(target);
      return;
    }
    log(`cached worker ${target} does not run here; making it again`);
  }

  const started = Date.now();
  let done = false;
  if (process.env.EZAL_MEDIASOUP_PREBUILT !== '0') {
    done = await tryPrebuilt(mediasoupDir, target);
  }
  if (!done) {
    log(`building mediasoup ${key} offline (about 5 minutes on 2 cores)`);
    await buildOffline(mediasoupDir, target);
  }
  log(`worker ${key} ready after ${Math.round((Date.now() - started) / 1000)} s`);
  console.log(target);
}

try {
  await main();
} catch (error) {
  console.error(`[mediasoup-worker] FAILED: ${(error as Error).message}`);
  process.exitCode = 1;
}
