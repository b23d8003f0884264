// Where the mediasoup worker binary lives, and how its build is named.
//
// mediasoup's own install step downloads a prebuilt worker from the internet,
// which a court's closed network does not allow. So `npm run setup` runs
// media/worker/build.ts, which puts a worker (downloaded if it can, else built
// offline from mediasoup's sources with our patch) into a cache directory
// outside node_modules. This module finds that binary at run time.
// It uses node builtins only, so build.ts can run before anything else is set up.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { libsrtpBuildKey } from './libsrtp.ts';

// This folder: the patch files live beside this module.
const HERE = import.meta.dirname;

// The default mediasoup package directory: <repo>/node_modules/mediasoup.
export const DEFAULT_MEDIASOUP_DIR = path.resolve(HERE, '..', '..', 'node_modules', 'mediasoup');

// The version of the mediasoup package in the given directory (from its package.json).
export function mediasoupVersion(mediasoupDir: string): string {
  const pkgPath = path.join(mediasoupDir, 'package.json');
  if (!existsSync(pkgPath)) {
    throw new Error(`mediasoup not found: ${pkgPath} does not exist (run npm install)`);
  }
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { version?: string };
  if (typeof pkg.version !== 'string') {
    throw new Error(`${pkgPath} has no version`);
  }
  return pkg.version;
}

// Our patch for the given mediasoup version. A patch is written against one
// exact version of mediasoup's sources, so each version needs its own file.
export function patchFiles(version: string): string[] {
  return [path.join(HERE, `mediasoup-${version}.patch`)];
}

// `<mediasoup version>-<first 12 hex digits of sha256 over the patch files>-srtp<libsrtp key>`,
// the libsrtp key being `<Debian source version>-<first 12 hex digits of sha256 of libsrtp.ts>`
// (the recipe of the static libsrtp 2 with OpenSSL the worker links).
// A new mediasoup version, any change to the patch or to the libsrtp recipe gives a new key, so
// a stale binary is never picked up from the cache.
export function workerCacheKey(mediasoupDir: string): string {
  const version = mediasoupVersion(mediasoupDir);
  const hash = createHash('sha256');
  for (const file of patchFiles(version)) {
    if (!existsSync(file)) {
      throw new Error(`no patch for mediasoup ${version}: ${file} does not exist`);
    }
    hash.update(readFileSync(file));
  }
  return `${version}-${hash.digest('hex').slice(0, 12)}-srtp${libsrtpBuildKey()}`;
}

// Where built workers are kept between installs (survives `rm -rf node_modules`).
export function cacheRoot(): string {
  return process.env.EZAL_CACHE_DIR || path.join(os.homedir(), '.cache', 'ezal');
}

// The path of the cached worker binary for the given mediasoup package.
export function cachedWorkerBin(mediasoupDir: string): string {
  return path.join(cacheRoot(), 'mediasoup-worker', workerCacheKey(mediasoupDir), 'mediasoup-worker');
}

// The worker binary to pass to mediasoup's createWorker({ workerBin }).
// Order: MEDIASOUP_WORKER_BIN (an explicit choice wins), our cache, then
// mediasoup's own location (where its postinstall puts a downloaded worker).
export function resolveWorkerBin(mediasoupDir: string = DEFAULT_MEDIASOUP_DIR): string {
  const fromEnv = process.env.MEDIASOUP_WORKER_BIN;
  if (fromEnv !== undefined && fromEnv !== '') {
    return fromEnv;
  }

  const cached = cachedWorkerBin(mediasoupDir);
  if (existsSync(cached)) {
    return cached;
  }

  const packaged = path.join(mediasoupDir, 'worker', 'out', 'Release', 'mediasoup-worker');
  if (existsSync(packaged)) {
    return packaged;
  }

  throw new Error(`mediasoup worker binary not found (looked at ${cached} and ${packaged}): run npm run setup`);
}
