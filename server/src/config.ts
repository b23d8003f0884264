/**
 * The server's configuration: every environment variable the suite reads, parsed once at start.
 * `.env.example` lists the same variables with the same defaults; keep the two in step.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type Config = {
  host: string;
  port: number;
  dataDir: string;
  /** Load the demo court, users and case into an empty database. Never on in production. */
  demo: boolean;
  logLevel: string;
  /** Serve the built web app from this folder (SvelteKit static build). */
  webBuildDir: string;
  sessionTtlHours: number;
  /** Set the Secure flag on cookies; on whenever the suite is served over HTTPS. */
  cookieSecure: boolean;
  trustProxy: boolean;
  /** Requests per address within the window for joining by a remote-participation link (POST /api/join). */
  loginRateLimit: { max: number; windowSeconds: number };
  /** How logins are defended (server/src/auth/login-guard.ts, docs/api.md). */
  login: {
    /** Failed logins from one address, across accounts, within the window; then 429 (known devices excepted). */
    addressMaxFailures: number;
    addressWindowSeconds: number;
    /** Each recent failure of an account doubles the wait before its next attempt is checked, from this… */
    accountDelayBaseMs: number;
    /** …up to this. */
    accountDelayMaxMs: number;
    /** How long a device that logged in stays known for its account (the signed `ezal_device` cookie). */
    deviceTtlDays: number;
  };
  /** Socket connections (server/src/realtime/, docs/realtime-protocol.md). */
  sockets: {
    /** Commands one connection may send per second (bursts: twice that); media signalling has its own. */
    commandRatePerSecond: number;
    /** Refusals (forbidden, rate limited) within the window after which a connection's commands are answered `rate_limited` unheard. */
    refusalsBeforeMuting: number;
    refusalWindowSeconds: number;
    /** A connection whose sent data has not drained for this long, or that has this much waiting, is dropped. */
    stallSeconds: number;
    maxBufferedPackets: number;
    maxBufferedBytes: number;
    pingIntervalSeconds: number;
    pingTimeoutSeconds: number;
  };
  /** Stored files up to this size are kept inline in the database (0: every file on disk). */
  filesInlineMaxBytes: number;
  ecase: {
    /** ECASE_TRUST_ROOTS as given: PEM files or folders, comma-separated; undefined when unset. */
    trustRoots: string | undefined;
    limits: {
      maxArchiveBytes: number;
      maxEntries: number;
      maxEntryBytes: number;
      maxTotalBytes: number;
      maxCompressionRatio: number;
    };
  };
  hearings: {
    /** How long a hearing books its hall when the scheduler gives no duration. */
    defaultDurationMinutes: number;
  };
  motions: {
    /** The largest PDF a motion may carry as an attachment. */
    maxAttachmentBytes: number;
  };
  protocol: {
    /** The court's address of e-Zal as people open it (PUBLIC_URL): the protocol's playback links point there. */
    publicUrl: string;
  };
  notifications: {
    /** null: e-mail is off (SMTP_HOST unset); summonses then record that nothing was sent. */
    email: { host: string; port: number; secure: boolean; user: string | undefined; pass: string | undefined; from: string } | null;
    /** null: SMS is off (SMS_GATEWAY_URL unset). */
    sms: { url: string; token: string | undefined } | null;
    /** Attempts per message before it is marked failed. */
    maxAttempts: number;
    /** The wait after the first failed attempt; it doubles after each further one (at most an hour). */
    retryBaseSeconds: number;
  };
  media: {
    workers: number;
    rtcMinPort: number;
    rtcMaxPort: number;
    listenIp: string;
    announcedAddress: string | undefined;
    workerBin: string | undefined;
    /** ICE over UDP and over TCP on the media ports (TCP for networks that block UDP). */
    iceUdp: boolean;
    iceTcp: boolean;
    /**
     * TURN servers handed to browsers as iceServers (e.g. turns:turn.court.kz:443?transport=tcp).
     * With `secret` (coturn's static-auth-secret) every connection gets its own credentials valid
     * for `ttlSeconds` (the TURN REST API, server/src/media-rooms/turn-credentials.ts) instead of the static ones.
     */
    turn: { urls: string[]; username: string | undefined; credential: string | undefined; secret: string | undefined; ttlSeconds: number } | null;
    /** Below this estimated bandwidth (kbit/s) a participant's page switches to audio only. */
    audioOnlyBelowKbps: number;
    initialOutgoingKbps: number;
    /** Signalling requests one connection may send per second (burst: twice that). */
    signalRatePerSecond: number;
    /** A hearing's media room lease (docs/media.md, "Media failover"): how long it holds unrenewed (MEDIA_LEASE_TTL_MS), and how often the holder renews it (MEDIA_LEASE_RENEW_MS). */
    lease: { ttlMs: number; renewMs: number };
  };
  recording: {
    /** Where segments are written (RECORDINGS_DIR, default DATA_DIR/recordings). */
    dir: string;
    /** Days a hearing's recording is kept after the hearing; 0 keeps it for ever. */
    retentionDays: number;
    segmentSeconds: number;
    /** How often chain heads go to the hearing's event log while recording. */
    headIntervalSeconds: number;
  };
  // ---- end recording ----
  remote: {
    inviteTtlHours: number;
    sessionTtlHours: number;
    /** How long a participant whose pages all disconnected has to come back before the court sees them gone. */
    disconnectGraceSeconds: number;
    /** The address invitation links start with; unset: the address the inviting secretary used. */
    publicUrl: string | undefined;
  };
  /**
   * The clustered form (issue 20, docs/deployment.md): each engine is used when its variable is set,
   * and the embedded default (SQLite, local files, one process) stands in for it when not.
   */
  cluster: {
    /** DATABASE_URL: a PostgreSQL connection string (postgres://…); unset: SQLite in DATA_DIR. */
    databaseUrl: string | undefined;
    /** REDIS_URL: Redis for socket.io's streams adapter and counters shared by nodes; unset: in this process. */
    redisUrl: string | undefined;
    /** S3_*: an S3-compatible object store for stored files and recordings; null: DATA_DIR/files. */
    s3: { endpoint: string; region: string; bucket: string; accessKeyId: string; secretAccessKey: string; forcePathStyle: boolean } | null;
    /** This node's name in logs, health and the cluster's leases (NODE_NAME; default: the host name and port). */
    nodeName: string;
  };
  /** `GET /api/health`'s limits on the space left where the server saves (docs/api.md). */
  health: {
    /** Below this, health warns (`disk_low`, still 200). */
    minFreeBytes: number;
    /** Below this, health fails (`disk_full`, 503) before the first write does. */
    criticalFreeBytes: number;
  };
};

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const MB = 1024 * 1024;

/** Reads `.env` from the repository root into process.env, if there is one; variables already set win. */
export function loadDotEnv(file: string = path.join(repoRoot, '.env')): void {
  if (fs.existsSync(file)) process.loadEnvFile(file);
}

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const read = new EnvReader(env, problems);

  const config: Config = {
    host: read.string('HOST', '0.0.0.0'),
    port: read.integer('PORT', 3000, 0, 65535),
    dataDir: path.resolve(read.string('DATA_DIR', path.join(repoRoot, 'data'))),
    demo: read.boolean('EZAL_DEMO', true),
    logLevel: read.oneOf('LOG_LEVEL', 'info', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    webBuildDir: path.resolve(read.string('WEB_BUILD_DIR', path.join(repoRoot, 'apps', 'web', 'build'))),
    sessionTtlHours: read.integer('SESSION_TTL_HOURS', 12, 1, 24 * 30),
    cookieSecure: read.boolean('COOKIE_SECURE', false),
    trustProxy: read.boolean('TRUST_PROXY', false),
    loginRateLimit: {
      max: read.integer('LOGIN_RATE_LIMIT_MAX', 10, 1, 100_000),
      windowSeconds: read.integer('LOGIN_RATE_LIMIT_WINDOW_SECONDS', 60, 1, 86_400),
    },
    login: {
      addressMaxFailures: read.integer('LOGIN_ADDRESS_MAX_FAILURES', 20, 1, 100_000),
      addressWindowSeconds: read.integer('LOGIN_ADDRESS_WINDOW_SECONDS', 900, 1, 86_400),
      accountDelayBaseMs: read.integer('LOGIN_ACCOUNT_DELAY_BASE_MS', 250, 0, 60_000),
      accountDelayMaxMs: read.integer('LOGIN_ACCOUNT_DELAY_MAX_MS', 4000, 0, 60_000),
      deviceTtlDays: read.integer('LOGIN_DEVICE_TTL_DAYS', 180, 1, 3650),
    },
    sockets: {
      commandRatePerSecond: read.integer('SOCKET_COMMAND_RATE', 20, 1, 100_000),
      refusalsBeforeMuting: read.integer('SOCKET_REFUSALS_BEFORE_MUTING', 5, 1, 10_000),
      refusalWindowSeconds: read.integer('SOCKET_REFUSAL_WINDOW_SECONDS', 10, 1, 3600),
      stallSeconds: read.integer('SOCKET_STALL_SECONDS', 10, 1, 600),
      maxBufferedPackets: read.integer('SOCKET_MAX_BUFFERED_PACKETS', 1000, 10, 1_000_000),
      maxBufferedBytes: read.integer('SOCKET_MAX_BUFFERED_KB', 4096, 64, 1024 * 1024) * 1024,
      pingIntervalSeconds: read.integer('SOCKET_PING_INTERVAL_SECONDS', 10, 1, 300),
      pingTimeoutSeconds: read.integer('SOCKET_PING_TIMEOUT_SECONDS', 10, 1, 300),
    },
    filesInlineMaxBytes: read.integer('FILES_INLINE_MAX_KB', 128, 0, 1024) * 1024,
    ecase: {
      trustRoots: read.optional('ECASE_TRUST_ROOTS'),
      limits: {
        maxArchiveBytes: read.integer('ECASE_MAX_ARCHIVE_MB', 4096, 1, 1024 * 1024) * MB,
        maxEntries: read.integer('ECASE_MAX_ENTRIES', 100_000, 1, 10_000_000),
        maxEntryBytes: read.integer('ECASE_MAX_ENTRY_MB', 2048, 1, 1024 * 1024) * MB,
        maxTotalBytes: read.integer('ECASE_MAX_TOTAL_MB', 8192, 1, 1024 * 1024) * MB,
        maxCompressionRatio: read.integer('ECASE_MAX_COMPRESSION_RATIO', 100, 1, 1_000_000),
      },
    },
    hearings: {
      defaultDurationMinutes: read.integer('HEARING_DEFAULT_DURATION_MINUTES', 120, 15, 720),
    },
    motions: {
      maxAttachmentBytes: read.integer('MOTION_ATTACHMENT_MAX_MB', 10, 1, 100) * MB,
    },
    protocol: {
      publicUrl: readPublicUrl(read, read.integer('PORT', 3000, 0, 65535)),
    },
    notifications: {
      email: readEmail(read),
      sms: readSms(read),
      maxAttempts: read.integer('NOTIFY_MAX_ATTEMPTS', 10, 1, 100),
      retryBaseSeconds: read.integer('NOTIFY_RETRY_BASE_SECONDS', 30, 1, 86_400),
    },
    media: {
      workers: read.integer('MEDIA_WORKERS', os.availableParallelism(), 0, 256),
      rtcMinPort: read.integer('MEDIA_RTC_MIN_PORT', 40000, 1024, 65535),
      rtcMaxPort: read.integer('MEDIA_RTC_MAX_PORT', 49999, 1024, 65535),
      listenIp: read.string('MEDIA_LISTEN_IP', '0.0.0.0'),
      announcedAddress: read.optional('MEDIA_ANNOUNCED_ADDRESS'),
      workerBin: read.optional('MEDIASOUP_WORKER_BIN'),
      iceUdp: read.boolean('MEDIA_ICE_UDP', true),
      iceTcp: read.boolean('MEDIA_ICE_TCP', true),
      turn: readTurn(read),
      audioOnlyBelowKbps: read.integer('MEDIA_AUDIO_ONLY_BELOW_KBPS', 150, 0, 100_000),
      initialOutgoingKbps: read.integer('MEDIA_INITIAL_OUTGOING_KBPS', 600, 50, 100_000),
      signalRatePerSecond: read.integer('MEDIA_SIGNAL_RATE', 30, 1, 10_000),
      lease: { ttlMs: read.integer('MEDIA_LEASE_TTL_MS', 6000, 500, 600_000), renewMs: read.integer('MEDIA_LEASE_RENEW_MS', 2000, 100, 300_000) },
    },
    remote: {
      inviteTtlHours: read.integer('REMOTE_INVITE_TTL_HOURS', 72, 1, 24 * 90),
      sessionTtlHours: read.integer('REMOTE_SESSION_TTL_HOURS', 12, 1, 72),
      disconnectGraceSeconds: read.integer('REMOTE_DISCONNECT_GRACE_SECONDS', 20, 1, 600),
      publicUrl: read.optional('PUBLIC_URL'),
    },
    cluster: {
      databaseUrl: readUrl(read, 'DATABASE_URL', ['postgres:', 'postgresql:']),
      redisUrl: readUrl(read, 'REDIS_URL', ['redis:', 'rediss:']),
      s3: readS3(read),
      nodeName: read.string('NODE_NAME', `${os.hostname()}:${read.integer('PORT', 3000, 0, 65535)}`),
    },
    health: {
      minFreeBytes: read.integer('HEALTH_MIN_FREE_MB', 512, 0, 1024 * 1024) * MB,
      criticalFreeBytes: read.integer('HEALTH_CRITICAL_FREE_MB', 64, 0, 1024 * 1024) * MB,
    },
    recording: {
      dir: '',
      retentionDays: read.integer('RECORDING_RETENTION_DAYS', 0, 0, 36_500),
      segmentSeconds: read.integer('RECORDING_SEGMENT_SECONDS', 4, 1, 60),
      headIntervalSeconds: read.integer('RECORDING_CHAIN_HEAD_SECONDS', 30, 1, 3600),
    },
  };
  config.recording.dir = path.resolve(read.string('RECORDINGS_DIR', path.join(config.dataDir, 'recordings')));
  // Nodes of one court sign sessions and protocols' links with one key: a key each node made for
  // itself in its own DATA_DIR would log people out whenever the balancer sends them elsewhere.
  if (config.cluster.databaseUrl !== undefined && read.optional('EZAL_SECRET') === undefined) {
    problems.push('EZAL_SECRET must be set when DATABASE_URL is: every node of the court needs the same secret');
  }
  if (!config.media.iceUdp && !config.media.iceTcp) problems.push('MEDIA_ICE_UDP and MEDIA_ICE_TCP cannot both be off');
  if (config.health.criticalFreeBytes > config.health.minFreeBytes) problems.push('HEALTH_CRITICAL_FREE_MB must not be greater than HEALTH_MIN_FREE_MB');
  if (config.media.rtcMinPort > config.media.rtcMaxPort) {
    problems.push('MEDIA_RTC_MIN_PORT must not be greater than MEDIA_RTC_MAX_PORT');
  }
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
  return config;
}

/** SMTP settings, or null when SMTP_HOST is not set; a host without a sender address is a problem. */
function readEmail(read: EnvReader): Config['notifications']['email'] {
  const host = read.optional('SMTP_HOST');
  const port = read.integer('SMTP_PORT', 587, 1, 65535);
  const secure = read.boolean('SMTP_SECURE', false);
  const user = read.optional('SMTP_USER');
  const pass = read.optional('SMTP_PASS');
  const from = read.optional('SMTP_FROM');
  if (host === undefined) return null;
  if (from === undefined) {
    read.problem('SMTP_FROM must be set when SMTP_HOST is (the sender address of summonses)');
    return null;
  }
  return { host, port, secure, user, pass, from };
}

/**
 * PUBLIC_URL without a trailing slash. Unset, it is this machine's own address (http://localhost:<PORT>),
 * right for a demo on one machine; a court sets the address its users open, since signed protocols keep it.
 */
function readPublicUrl(read: EnvReader, port: number): string {
  const fallback = `http://localhost:${port}`;
  const url = read.optional('PUBLIC_URL') ?? fallback;
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    read.problem(`PUBLIC_URL must be an http:// or https:// address, got '${url}'`);
    return fallback;
  }
  return url.replace(/\/+$/, '');
}

/** TURN servers for browsers behind networks that block direct media, or null when MEDIA_TURN_URLS is unset. */
function readTurn(read: EnvReader): Config['media']['turn'] {
  const urls = read
    .optional('MEDIA_TURN_URLS')
    ?.split(',')
    .map((u) => u.trim())
    .filter(Boolean);
  if (!urls || urls.length === 0) return null;
  for (const url of urls) if (!/^turns?:/.test(url) && !/^stun:/.test(url)) read.problem(`MEDIA_TURN_URLS entries start with turn:, turns: or stun:, got '${url}'`);
  const secret = read.optional('MEDIA_TURN_SECRET');
  if (secret !== undefined && secret.length < 16) read.problem('MEDIA_TURN_SECRET must be at least 16 characters (a random string shared with the TURN server)');
  const ttlSeconds = read.integer('MEDIA_TURN_TTL_SECONDS', 86_400, 60, 7 * 86_400);
  return { urls, username: read.optional('MEDIA_TURN_USERNAME'), credential: read.optional('MEDIA_TURN_CREDENTIAL'), secret, ttlSeconds };
}

/** A connection address whose scheme is one of `schemes`, or undefined when the variable is not set. */
function readUrl(read: EnvReader, name: string, schemes: string[]): string | undefined {
  const url = read.optional(name);
  if (url === undefined) return undefined;
  if (!URL.canParse(url) || !schemes.includes(new URL(url).protocol)) {
    read.problem(`${name} must be an address starting with ${schemes.map((s) => `${s}//`).join(' or ')}, got '${redactPassword(url)}'`);
    return undefined;
  }
  return url;
}

/** A connection string as it may be printed: without its password. */
function redactPassword(url: string): string {
  return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
}

/**
 * The object store, or null when S3_BUCKET is not set. Everything else is then required, so a
 * half-configured store fails at start rather than on the first upload.
 */
function readS3(read: EnvReader): Config['cluster']['s3'] {
  const bucket = read.optional('S3_BUCKET');
  if (bucket === undefined) {
    for (const name of ['S3_ENDPOINT', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY']) if (read.optional(name) !== undefined) read.problem(`${name} is set but S3_BUCKET is not`);
    return null;
  }
  const endpoint = read.optional('S3_ENDPOINT');
  const accessKeyId = read.optional('S3_ACCESS_KEY_ID');
  const secretAccessKey = read.optional('S3_SECRET_ACCESS_KEY');
  if (endpoint === undefined || !URL.canParse(endpoint) || !/^https?:$/.test(new URL(endpoint).protocol))
    read.problem(`S3_ENDPOINT must be the store's http:// or https:// address when S3_BUCKET is set`);
  if (accessKeyId === undefined || secretAccessKey === undefined) read.problem('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set when S3_BUCKET is set');
  if (endpoint === undefined || accessKeyId === undefined || secretAccessKey === undefined) return null;
  return { endpoint, bucket, accessKeyId, secretAccessKey, region: read.string('S3_REGION', 'us-east-1'), forcePathStyle: read.boolean('S3_FORCE_PATH_STYLE', true) };
}

/** The SMS gateway, or null when SMS_GATEWAY_URL is not set. */
function readSms(read: EnvReader): Config['notifications']['sms'] {
  const url = read.optional('SMS_GATEWAY_URL');
  const token = read.optional('SMS_GATEWAY_TOKEN');
  if (url === undefined) return null;
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    read.problem(`SMS_GATEWAY_URL must be an http:// or https:// address, got '${url}'`);
    return null;
  }
  return { url, token };
}

/** Reads variables and collects every problem, so one start reports all of them at once. */
class EnvReader {
  #env: Env;
  #problems: string[];

  constructor(env: Env, problems: string[]) {
    this.#env = env;
    this.#problems = problems;
  }

  problem(text: string): void {
    this.#problems.push(text);
  }

  optional(name: string): string | undefined {
    const value = this.#env[name]?.trim();
    return value ? value : undefined;
  }

  string(name: string, fallback: string): string {
    return this.optional(name) ?? fallback;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^-?\d+$/.test(raw) || value < min || value > max) {
      this.#problems.push(`${name} must be a whole number from ${min} to ${max}, got '${raw}'`);
      return fallback;
    }
    return value;
  }

  boolean(name: string, fallback: boolean): boolean {
    const raw = this.optional(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off'].includes(raw)) return false;
    this.#problems.push(`${name} must be 1 or 0 (true/false), got '${raw}'`);
    return fallback;
  }

  oneOf<T extends string>(name: string, fallback: T, allowed: readonly T[]): T {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      this.#problems.push(`${name} must be one of ${allowed.join(', ')}, got '${raw}'`);
      return fallback;
    }
    return raw as T;
  }
}
