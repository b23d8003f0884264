/**
 * coturn's configuration for e-Zal (Debian's coturn, installed by `npm run setup`): TURN over TLS
 * only, credentials from the secret e-Zal shares with it (MEDIA_TURN_SECRET, the TURN REST API:
 * server/src/media-rooms/turn-credentials.ts). The test's private coturn (tests/helpers/coturn.ts)
 * and a court's server use the same lines; docs/media.md, "TURN setup for a court".
 *
 * For a court, on request (nothing is written otherwise):
 *   MEDIA_TURN_SECRET=… node server/setup/coturn-config.ts --realm turn.court.kz \
 *     --cert /etc/letsencrypt/live/turn.court.kz/fullchain.pem --key /etc/letsencrypt/live/turn.court.kz/privkey.pem \
 *     [--listen 10.0.0.5] [--external 203.0.113.7/10.0.0.5] [--port 443] > /etc/turnserver.conf
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export type CoturnOptions = {
  /** The shared secret (coturn's static-auth-secret), the same as e-Zal's MEDIA_TURN_SECRET. */
  secret: string;
  realm: string;
  /** PEM certificate chain and private key of the TLS listener. */
  cert: string;
  key: string;
  /** The TLS port: 443 for a court (the port every firewall lets out). */
  tlsPort: number;
  /** Addresses to listen on and to relay from; unset: every address of the machine. */
  listeningIp?: string;
  relayIp?: string;
  /** `public/private` when the server is behind NAT (coturn's external-ip). */
  externalIp?: string;
  /** The relay ports (UDP to the media server): open them between coturn and e-Zal's media only. */
  minPort?: number;
  maxPort?: number;
  /** Peers on 127.x and ::1 (the test's media server listens there; never in a court). */
  allowLoopbackPeers?: boolean;
  /** Where it writes its pid, its log (a path, or `stdout`) and its (unused) user database. */
  pidFile?: string;
  logFile?: string;
  userDb?: string;
  /** Logs every session (who allocated, from where): for tests. */
  verbose?: boolean;
};

/** The lines of turnserver.conf. */
export function coturnConfig(options: CoturnOptions): string {
  const lines = [
    '# e-Zal: TURN over TLS only (server/setup/coturn-config.ts)',
    `tls-listening-port=${options.tlsPort}`,
    // No plain UDP/TCP listeners and no DTLS: a phone reaches it as TLS on one port, like HTTPS.
    'no-udp',
    'no-tcp',
    'no-dtls',
    'no-tlsv1',
    'no-tlsv1_1',
    `cert=${options.cert}`,
    `pkey=${options.key}`,
    ...(options.listeningIp ? [`listening-ip=${options.listeningIp}`] : []),
    ...(options.relayIp ? [`relay-ip=${options.relayIp}`] : []),
    ...(options.externalIp ? [`external-ip=${options.externalIp}`] : []),
    ...(options.minPort ? [`min-port=${options.minPort}`] : []),
    ...(options.maxPort ? [`max-port=${options.maxPort}`] : []),
    'fingerprint',
    // Time-limited credentials made by e-Zal for each connection: no user list here.
    'use-auth-secret',
    `static-auth-secret=${options.secret}`,
    `realm=${options.realm}`,
    'no-cli',
    'no-multicast-peers',
    ...(options.allowLoopbackPeers ? ['allow-loopback-peers'] : []),
    'no-rfc5780',
    'no-stun-backward-compatibility',
    'no-software-attribute',
    ...(options.verbose ? ['verbose'] : []),
    ...(options.pidFile ? [`pidfile=${options.pidFile}`] : []),
    ...(options.userDb ? [`userdb=${options.userDb}`] : []),
    ...(options.logFile ? [`log-file=${options.logFile}`, 'simple-log'] : ['syslog']),
  ];
  return lines.join('\n') + '\n';
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      realm: { type: 'string' },
      cert: { type: 'string' },
      key: { type: 'string' },
      port: { type: 'string', default: '443' },
      listen: { type: 'string' },
      external: { type: 'string' },
      'min-port': { type: 'string', default: '49152' },
      'max-port': { type: 'string', default: '65535' },
    },
  });
  const secret = process.env.MEDIA_TURN_SECRET;
  if (!secret || !values.realm || !values.cert || !values.key) {
    console.error(
      'usage: MEDIA_TURN_SECRET=… node server/setup/coturn-config.ts --realm <host> --cert <fullchain.pem> --key <privkey.pem> [--port 443] [--listen <ip>] [--external <public>/<private>]',
    );
    process.exit(2);
  }
  process.stdout.write(
    coturnConfig({
      secret,
      realm: values.realm,
      cert: values.cert,
      key: values.key,
      tlsPort: Number(values.port),
      listeningIp: values.listen,
      relayIp: values.listen,
      externalIp: values.external,
      minPort: Number(values['min-port']),
      maxPort: Number(values['max-port']),
    }),
  );
}
