// The recipe for the worker's SRTP library: libsrtp 2 with OpenSSL as its crypto backend.
//
// Debian's libsrtp2 is built with NSS (`--enable-nss`); mediasoup's own build uses OpenSSL.
// With OpenSSL, AES (counter mode and the AEAD AES-GCM suites) runs on the CPU's AES
// instructions through OpenSSL's EVP interface, the same library that already does the worker's
// DTLS. So the offline build makes its own libsrtp 2 from Debian's source package (same version
// and Debian patches as the system's libsrtp2), configured with `--enable-openssl`, as a static
// library in a private prefix under the cache:
//
//   <cacheRoot>/libsrtp2-openssl/<libsrtpBuildKey()>/{include/srtp2, lib/libsrtp2.a, lib/pkgconfig}
//
// The worker's build finds it through PKG_CONFIG_PATH (the patch asks for `dependency('libsrtp2')`)
// and links it statically, so the system's libsrtp2 is neither linked nor needed at run time.
//
// This whole file is the recipe: its sha256 is part of the worker's cache key (worker-bin.ts) and
// of the prefix's name, so any change here gives a new libsrtp and a new worker, never a stale one.
// It uses node builtins only.

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// Debian's source package, pinned: bookworm's libsrtp2. The .dsc's sha256 is checked before use;
// dpkg-source then checks the tarballs against the .dsc.
export const LIBSRTP_SOURCE = {
  package: 'libsrtp2',
  version: '2.5.0-3',
  dsc: 'libsrtp2_2.5.0-3.dsc',
  dscSha256: '3b77c17dc1cf3135fbdaaf4cb0c5f4ae69793dd4cea63b9e466286e7687c861e',
} as const;

// OpenSSL as crypto backend (AES-ICM and AES-GCM through EVP); no pcap (only libsrtp's own
// rtp_decoder tool uses it). -fPIC: the archive is linked into the worker, a PIE.
const CONFIGURE_ARGS = ['--enable-openssl', '--disable-pcap', '--disable-debug-logging'];
const CFLAGS = '-O2 -fPIC -D_REENTRANT';

// libsrtp's own unit drivers, run against the new library before it is installed: the cipher
// and kernel self-tests check every cipher (AES-ICM 128/192/256, AES-GCM 128/256 through
// OpenSSL) against known-answer vectors. (`make runtest` also runs rtpw over UDP; left out.)
const SELF_TESTS = [
  ['crypto/test/cipher_driver', '-v'],
  ['crypto/test/kernel_driver', '-v'],
  ['test/test_srtp'],
  ['test/rdbx_driver', '-v'],
  ['test/srtp_driver', '-v'],
  ['test/roc_driver', '-v'],
  ['test/replay_driver', '-v'],
];

function log(message: string): void {
  console.log(`[libsrtp2-openssl] ${message}`);
}

// `<Debian version>-<first 12 hex digits of this file's sha256>`, e.g. `2.5.0-3-0123456789ab`.
export function libsrtpBuildKey(): string {
  const recipe = readFileSync(import.meta.filename);
  return `${LIBSRTP_SOURCE.version}-${createHash('sha256').update(recipe).digest('hex').slice(0, 12)}`;
}

export function libsrtpPrefix(cacheRoot: string): string {
  return path.join(cacheRoot, 'libsrtp2-openssl', libsrtpBuildKey());
}

// The pkg-config folder to put first on PKG_CONFIG_PATH for the worker's meson setup.
export function libsrtpPkgConfigDir(prefix: string): string {
  return path.join(prefix, 'lib', 'pkgconfig');
}

function sha256File(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function run(command: string, args: string[], cwd: string, quiet = false): Promise<void> {
  log(`$ ${command} ${args.join(' ')}`);
  return new Promise((resolve, reject) => {
    const output: Buffer[] = [];
    const child = spawn(command, args, { cwd, stdio: ['ignore', quiet ? 'pipe' : 'inherit', quiet ? 'pipe' : 'inherit'] });
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk));
    child.on('error', (error) => reject(new Error(`${command} could not start: ${error.message}`)));
    child.on('exit', (code, signal) => {
      if (code === 0) return resolve();
      if (quiet) process.stderr.write(Buffer.concat(output));
      reject(new Error(`${command} failed (${signal ?? `exit code ${code}`})`));
    });
  });
}

// Debian's source package, kept in <cacheRoot>/sources/ so later builds need no network.
// First time: `apt-get source --download-only`, which needs a deb-src entry for the configured
// Debian mirror (the same mirror the binary packages come from; apt checks the files against
// the mirror's signed Sources index).
async function ensureSource(cacheRoot: string): Promise<string> {
  const dir = path.join(cacheRoot, 'sources', `${LIBSRTP_SOURCE.package}_${LIBSRTP_SOURCE.version}`);
  const dsc = path.join(dir, LIBSRTP_SOURCE.dsc);
  if (existsSync(dsc) && sha256File(dsc) === LIBSRTP_SOURCE.dscSha256) return dsc;

  mkdirSync(path.dirname(dir), { recursive: true });
  const temp = mkdtempSync(`${dir}.download-`);
  try {
    try {
      await run('apt-get', ['source', '--download-only', '-qq', `${LIBSRTP_SOURCE.package}=${LIBSRTP_SOURCE.version}`], temp);
    } catch (error) {
      throw new Error(
        `could not fetch Debian's source package ${LIBSRTP_SOURCE.package}=${LIBSRTP_SOURCE.version} (${(error as Error).message}).\n` +
          `apt needs a deb-src entry for the Debian mirror: in /etc/apt/sources.list.d/debian.sources write "Types: deb deb-src" ` +
          `(or add "deb-src <mirror> bookworm main" to /etc/apt/sources.list), run apt-get update, and run setup again. ` +
          `Or put the three files of the source package (${LIBSRTP_SOURCE.dsc} and its tarballs) into ${dir}.`,
        { cause: error },
      );
    }
    if (sha256File(path.join(temp, LIBSRTP_SOURCE.dsc)) !== LIBSRTP_SOURCE.dscSha256) {
      throw new Error(`${LIBSRTP_SOURCE.dsc} from the mirror does not have the pinned sha256 ${LIBSRTP_SOURCE.dscSha256}`);
    }
    rmSync(dir, { recursive: true, force: true });
    renameSync(temp, dir);
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
  return dsc;
}

// The library (libsrtp2.a) must be linked together with libcrypto; pkg-config reports that only
// under Libs.private, which meson reads only for static dependencies. The prefix has no shared
// library, so Libs itself names them.
function fixPkgConfig(pcFile: string): void {
  const text = readFileSync(pcFile, 'utf8');
  const privateLibs = /^Libs\.private:(.*)$/m.exec(text)?.[1]?.trim() ?? '';
  if (!privateLibs.includes('-lcrypto')) throw new Error(`${pcFile} does not link libcrypto: was libsrtp configured with OpenSSL?`);
  writeFileSync(
    pcFile,
    text.replace(/^Libs:(.*)$/m, (_line, libs: string) => `Libs:${libs.trimEnd()} ${privateLibs}`),
  );
}

// Makes sure the static libsrtp 2 with OpenSSL is in its prefix; returns the prefix. Idempotent:
// a finished prefix is used as is; a new one is built in a temp dir and moved in by one rename.
export async function ensureLibsrtp(cacheRoot: string): Promise<string> {
  const prefix = libsrtpPrefix(cacheRoot);
  const archive = path.join(prefix, 'lib', 'libsrtp2.a');
  if (existsSync(archive) && existsSync(path.join(libsrtpPkgConfigDir(prefix), 'libsrtp2.pc'))) {
    log(`cached ${path.basename(prefix)} is ready`);
    return prefix;
  }

  const dsc = await ensureSource(cacheRoot);
  const temp = mkdtempSync(path.join(os.tmpdir(), 'ezal-libsrtp2-'));
  const src = path.join(temp, 'src');
  mkdirSync(path.dirname(prefix), { recursive: true });
  const staging = mkdtempSync(`${prefix}.staging-`);
  try {
    // dpkg-source checks the tarballs' checksums against the .dsc and applies Debian's patches.
    await run('dpkg-source', ['-x', dsc, src], temp, true);
    const configureEnv = `CFLAGS=${CFLAGS}`;
    await run('./configure', [`--prefix=${prefix}`, ...CONFIGURE_ARGS, configureEnv], src, true);
    const config = readFileSync(path.join(src, 'crypto', 'include', 'config.h'), 'utf8');
    for (const wanted of ['#define OPENSSL 1', '#define GCM 1']) {
      if (!config.includes(wanted)) throw new Error(`libsrtp's configure did not set "${wanted}" (OpenSSL development files missing?)`);
    }
    const jobs = String(os.availableParallelism());
    await run('make', ['-j', jobs, 'libsrtp2.a'], src, true);
    await run('make', ['-j', jobs, 'test'], src, true);
    for (const [program, ...args] of SELF_TESTS) await run(path.join(src, program), args, src, true);
    log('self-tests passed (AES-ICM and AES-GCM through OpenSSL)');

    await run('make', ['install', `DESTDIR=${staging}`], src, true);
    const installed = path.join(staging, prefix);
    for (const name of readdirSync(path.join(installed, 'lib'))) {
      if (name.includes('.so')) throw new Error(`unexpected shared library ${name} in the libsrtp prefix`);
    }
    fixPkgConfig(path.join(libsrtpPkgConfigDir(installed), 'libsrtp2.pc'));
    cpSync(path.join(src, 'LICENSE'), path.join(installed, 'LICENSE'));
    rmSync(prefix, { recursive: true, force: true });
    renameSync(installed, prefix);
    log(`installed into ${prefix}`);
  } catch (error) {
    log(`build directory kept for inspection: ${src}`);
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  rmSync(staging, { recursive: true, force: true });
  rmSync(temp, { recursive: true, force: true });
  return prefix;
}

// The libraries a binary loads (ELF NEEDED entries), to prove which libsrtp the worker has.
export function neededLibraries(bin: string): string[] {
  const result = spawnSync('readelf', ['-d', bin], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`readelf -d ${bin} failed`);
  return [...result.stdout.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((match) => match[1]);
}
