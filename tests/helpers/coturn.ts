/**
 * A private coturn for a test (Debian's turnserver, installed by `npm run setup`): a temporary
 * folder, a self-signed certificate made there with openssl, one TLS listener on a free port (a
 * court's is 443), time-limited credentials from a shared secret (`use-auth-secret`), the same
 * configuration as a court's (server/setup/coturn-config.ts). Never the system's service.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { coturnConfig } from '../../server/setup/coturn-config.ts';

const TURNSERVER = '/usr/bin/turnserver';

export type TestCoturn = {
  /** The address and TLS port it listens on. */
  host: string;
  port: number;
  /** What e-Zal's MEDIA_TURN_URLS and MEDIA_TURN_SECRET are set to for it. */
  url: string;
  secret: string;
  realm: string;
  /** base64 SHA-256 of the certificate's public key, for Chromium's --ignore-certificate-errors-spki-list. */
  spkiSha256: string;
  /** Everything it has logged so far. */
  log(): string;
  /** Stops it and removes its folder. */
  close(): Promise<void>;
};

/** A port nothing listens on right now at `host` (the kernel's pick for port 0). */
function freePortOn(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/** `host`: the address to listen and relay on (loopback, or the test's namespace link). */
export async function startCoturn(options: { host?: string; realm?: string } = {}): Promise<TestCoturn> {
  if (!fs.existsSync(TURNSERVER)) throw new Error(`coturn is not installed (${TURNSERVER}): run npm run setup as root, or apt-get install coturn`);
  const host = options.host ?? '127.0.0.1';
  const realm = options.realm ?? 'turn.ezal.test';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-coturn-'));
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      `/CN=${realm}`,
      '-addext',
      `subjectAltName=DNS:${realm},IP:${host}`,
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  const spki = new X509Certificate(fs.readFileSync(cert)).publicKey.export({ type: 'spki', format: 'der' });
  const secret = randomBytes(24).toString('base64url');
  const port = await freePortOn(host);
  const configFile = path.join(dir, 'turnserver.conf');
  // A file, not stdout: coturn flushes its log file as it writes, and buffers a piped stdout.
  const logFile = path.join(dir, 'turnserver.log');
  fs.writeFileSync(
    configFile,
    coturnConfig({
      secret,
      realm,
      cert,
      key,
      tlsPort: port,
      listeningIp: host,
      relayIp: host,
      allowLoopbackPeers: true,
      pidFile: path.join(dir, 'turnserver.pid'),
      logFile: logFile,
      userDb: path.join(dir, 'turndb'),
      verbose: true,
    }),
  );

  let output = '';
  const child: ChildProcess = spawn(TURNSERVER, ['-c', configFile], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 10_000;
  while (!(await accepts(host, port))) {
    if (child.exitCode !== null) throw new Error(`turnserver exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`turnserver not listening on ${host}:${port} within 10 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    host,
    port,
    url: `turns:${host}:${port}?transport=tcp`,
    secret,
    realm,
    spkiSha256: createHash('sha256').update(spki).digest('base64'),
    log: () => output + (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''),
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
