/**
 * Follows one hearing over a socket.io client socket: joins when the socket connects (and again
 * after every reconnection, from the version it holds), applies broadcasts through a
 * HearingReplica, resyncs on a gap, and sends commands only while it is in step with the server.
 * socket.io's own reconnection brings the socket back; this class brings the hearing back.
 *
 * Runs in the browser (the web app's hearing manager wraps it) and in Node (tests, benchmark):
 * it imports socket.io-client's types only and is given the socket.
 */
import type { Socket } from 'socket.io-client';
import type { ErrorCode } from '../errors.ts';
import type { HearingSync } from './events.ts';
import type { HearingEvent } from '../hearing/state.ts';
import type { Ack, ClientToServerEvents, CommandName, CommandPayload, CommandResult, FollowedEvent, HearingPresence, HistoryPage, ServerToClientEvents } from './events.ts';
import { HearingReplica } from './hearing-replica.ts';

export type HearingSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * - `connecting`: no connection yet, nothing to show;
 * - `joining`: connected, waiting for the first snapshot;
 * - `online`: in step with the server; commands may be sent;
 * - `resyncing`: connected, catching up after a gap or a reconnection (shown state may lag);
 * - `offline`: the connection is down; the last state is still shown, read-only;
 * - `refused`: the server refused to let this user follow the hearing (`error` says why).
 */
export type FollowerStatus = 'connecting' | 'joining' | 'online' | 'resyncing' | 'offline' | 'refused';

/** A command's payload without the hearing id (the follower adds it). */
export type CommandInput<K extends CommandName> = Omit<CommandPayload<K>, 'hearingId'>;

export type FollowerOptions = {
  socket: HearingSocket;
  hearingId: string;
  /** Called after anything a screen shows has changed (state, status, presence). */
  onChange?: () => void;
  /** How long to wait for the server's answer to a command or a sync. */
  ackTimeoutMs?: number;
  /** The device's clock (tests may fix it). */
  now?: () => number;
};

const RETRY_MS = 1000;

type LatestQueue = {
  inFlight: boolean;
  waiting: { input: unknown; answer: Promise<Ack<CommandResult>>; resolve: (answer: Promise<Ack<CommandResult>>) => void } | null;
};
const unavailable = (message: string): { error: { code: ErrorCode; message: string } } => ({ error: { code: 'unavailable', message } });

export class HearingFollower {
  readonly hearingId: string;
  readonly replica = new HearingReplica();
  #socket: HearingSocket;
  #status: FollowerStatus;
  #error: ErrorCode | null = null;
  #presence: HearingPresence['online'] = [];
  #syncing = false;
  /** Bumped by every sync and every disconnection: an answer to an older attempt is ignored. */
  #attempt = 0;
  #stopped = false;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #onChange: () => void;
  #waiters = new Set<() => void>();
  #latest = new Map<CommandName, LatestQueue>();
  #ackTimeoutMs: number;
  #now: () => number;

  constructor(options: FollowerOptions) {
    this.hearingId = options.hearingId;
    this.#socket = options.socket;
    const onChange = options.onChange ?? (() => {});
    this.#onChange = () => {
      onChange();
      if (this.#waiters.size > 0) for (const waiter of [...this.#waiters]) waiter();
    };
    this.#ackTimeoutMs = options.ackTimeoutMs ?? 10_000;
    this.#now = options.now ?? Date.now;
    this.#status = this.#socket.connected ? 'joining' : 'connecting';
    this.#socket.on('connect', this.#onConnect);
    this.#socket.on('disconnect', this.#onDisconnect);
    this.#socket.on('hearing:changed', this.#onEvent);
    this.#socket.on('hearing:presence', this.#onPresence);
    if (this.#socket.connected) void this.#sync();
  }

  get status(): FollowerStatus {
    return this.#status;
  }

  /** Why the server refused (`forbidden`, `not_found`) or the last sync failed. */
  get error(): ErrorCode | null {
    return this.#error;
  }

  get presence(): HearingPresence['online'] {
    return this.#presence;
  }

  /** Resolves once the replica holds at least `version` and is in step (at once if it is). */
  reached(version: number, timeoutMs = this.#ackTimeoutMs): Promise<void> {
    const done = () => this.#status === 'online' && (this.replica.version ?? -1) >= version;
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = () => {
        if (!done()) return;
        clearTimeout(timer);
        this.#waiters.delete(waiter);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`hearing ${this.hearingId} did not reach version ${version} (holds ${this.replica.version}, ${this.#status})`));
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }

  /**
   * Sends a command. While the follower is not `online` nothing is sent and the answer is
   * `unavailable`: a decision taken on a state that may be stale is not sent later behind the
   * user's back.
   */
  async send<K extends CommandName>(name: K, input: CommandInput<K>): Promise<Ack<CommandResult>> {
    if (this.#status !== 'online') return unavailable(`not in step with the server (${this.#status})`);
    const payload = { ...input, hearingId: this.hearingId } as CommandPayload<K>;
    return this.#ask(name, payload) as Promise<Ack<CommandResult>>;
  }

  /**
   * Sends a command where only the latest matters — the shown position while the presenter drags
   * a zoom or a highlight: one at a time; while one is on its way, a newer call replaces any that
   * is waiting, and the replaced calls resolve with the answer of the one sent in their place.
   * Every position that is sent is stored and broadcast; the ones in between are never sent.
   */
  sendLatest<K extends CommandName>(name: K, input: CommandInput<K>): Promise<Ack<CommandResult>> {
    const queue = this.#latest.get(name) ?? { inFlight: false, waiting: null };
    this.#latest.set(name, queue);
    if (!queue.inFlight) return this.#sendQueued(name, input, queue);
    if (queue.waiting) {
      queue.waiting.input = input;
      return queue.waiting.answer;
    }
    let resolve!: (answer: Promise<Ack<CommandResult>>) => void;
    const answer = new Promise<Ack<CommandResult>>((r) => (resolve = r));
    queue.waiting = { input, answer, resolve };
    return answer;
  }

  async #sendQueued<K extends CommandName>(name: K, input: CommandInput<K>, queue: LatestQueue): Promise<Ack<CommandResult>> {
    queue.inFlight = true;
    try {
      return await this.send(name, input);
    } finally {
      queue.inFlight = false;
      const next = queue.waiting;
      queue.waiting = null;
      if (next) next.resolve(this.#sendQueued(name, next.input as CommandInput<K>, queue));
    }
  }

  /** A page of the hearing's log (see `hearing:history`). */
  async history(query: { before?: number; types?: HearingEvent['type'][]; limit?: number } = {}): Promise<Ack<HistoryPage>> {
    if (this.#status !== 'online' && this.#status !== 'resyncing') return unavailable(`not joined (${this.#status})`);
    return this.#ask('hearing:history', { hearingId: this.hearingId, ...query }) as Promise<Ack<HistoryPage>>;
  }

  /** Stops following: leaves the hearing and lets go of the socket's listeners (the socket stays open). */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    clearTimeout(this.#retry);
    this.#socket.off('connect', this.#onConnect);
    this.#socket.off('disconnect', this.#onDisconnect);
    this.#socket.off('hearing:changed', this.#onEvent);
    this.#socket.off('hearing:presence', this.#onPresence);
    if (this.#socket.connected) this.#socket.emit('hearing:leave', { hearingId: this.hearingId }, () => {});
  }

  #onConnect = (): void => {
    void this.#sync();
  };

  #onDisconnect = (): void => {
    this.#syncing = false;
    this.#attempt++;
    clearTimeout(this.#retry);
    if (this.#status !== 'refused') this.#setStatus('offline');
  };

  #onEvent = (event: FollowedEvent): void => {
    if (event.hearingId !== this.hearingId) return;
    const result = this.replica.receive(event);
    if (result === 'gap') void this.#sync();
    if (result === 'applied') this.#onChange();
  };

  #onPresence = (presence: HearingPresence): void => {
    if (presence.hearingId !== this.hearingId) return;
    this.#presence = presence.online;
    this.#onChange();
  };

  /**
   * Joins (after a (re)connection) or resyncs (after a gap), from the version held. One at a
   * time: events that arrive meanwhile are held by the replica and applied after the answer.
   */
  async #sync(): Promise<void> {
    if (this.#syncing || this.#stopped || !this.#socket.connected || this.#status === 'refused') return;
    this.#syncing = true;
    const attempt = ++this.#attempt;
    const since = this.replica.version;
    // A reconnected socket is a new connection on the server: it must join again.
    const rejoin = this.#status !== 'online' && this.#status !== 'resyncing';
    this.#setStatus(since === undefined ? 'joining' : 'resyncing');
    const answer = (await (rejoin
      ? this.#ask('hearing:join', since === undefined ? { hearingId: this.hearingId } : { hearingId: this.hearingId, since })
      : this.#ask('hearing:resync', { hearingId: this.hearingId, since: since! }))) as Ack<HearingSync>;
    if (attempt !== this.#attempt || this.#stopped) return;
    this.#syncing = false;
    if ('error' in answer) {
      this.#error = answer.error.code;
      if (answer.error.code === 'forbidden' || answer.error.code === 'not_found' || answer.error.code === 'unauthenticated') {
        this.#setStatus('refused');
      } else {
        // Timed out or the server was busy: try again shortly (a reconnection also retries).
        this.#setStatus(since === undefined ? 'joining' : 'offline');
        this.#retry = setTimeout(() => void this.#sync(), RETRY_MS);
      }
      return;
    }
    this.#error = null;
    const gap = this.replica.sync(answer.data, this.#now());
    this.#setStatus('online');
    if (gap) void this.#sync();
  }

  async #ask(event: string, payload: unknown): Promise<Ack<unknown>> {
    try {
      // Every command has the same shape (payload, ack); the contract is typed at `send` and `history`.
      const socket = this.#socket.timeout(this.#ackTimeoutMs) as unknown as { emitWithAck(event: string, payload: unknown): Promise<Ack<unknown>> };
      return await socket.emitWithAck(event, payload);
    } catch {
      return unavailable('no answer from the server');
    }
  }

  #setStatus(status: FollowerStatus): void {
    this.#status = status;
    this.#onChange();
  }
}
