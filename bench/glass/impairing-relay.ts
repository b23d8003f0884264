/**
 * A user-space UDP relay that impairs a path the way `tc netem` would (this kernel has none), for
 * the media.glass benchmark: between the phone's browser and the mediasoup worker. For each server
 * address the page asks about (`portFor`), a front socket on loopback; each browser address that
 * writes to it gets its own socket towards the server, so replies find their way back.
 *
 * Each direction is a `Link`: a packet is lost at random with probability `loss`; otherwise it
 * joins a FIFO drained at `kbps` (IP+UDP headers counted), dropped when it would wait more than
 * `queueMs` (a drop-tail buffer), and delivered `delayMs` after it has left the queue. Both
 * directions' packets of all the phone's transports share the one link per direction, as a phone's
 * radio link does. How late the event loop actually delivers against the schedule is recorded.
 */
import dgram from 'node:dgram';

export type Impairment = { delayMs: number; loss: number; kbps: number; queueMs: number };

export class Link {
  readonly impairment: Impairment;
  packets = 0;
  lost = 0;
  overflowed = 0;
  bytes = 0;
  /** How many ms after its scheduled time each packet was delivered (timer lateness). */
  readonly lateness: number[] = [];
  #busyUntil = 0;

  constructor(impairment: Impairment) {
    this.impairment = impairment;
  }

  pass(size: number, deliver: () => void): void {
    this.packets++;
    if (Math.random() < this.impairment.loss) {
      this.lost++;
      return;
    }
    const now = performance.now();
    const start = Math.max(now, this.#busyUntil);
    if (start - now > this.impairment.queueMs) {
      this.overflowed++;
      return;
    }
    this.#busyUntil = start + ((size + 28) * 8) / this.impairment.kbps;
    this.bytes += size;
    const due = this.#busyUntil + this.impairment.delayMs;
    setTimeout(() => {
      this.lateness.push(performance.now() - due);
      try {
        deliver();
      } catch {
        // the relay closed meanwhile
      }
    }, due - now);
  }
}

export class ImpairingRelay {
  /** Browser → server. */
  readonly up: Link;
  /** Server → browser. */
  readonly down: Link;
  #fronts = new Map<string, Promise<number>>();
  #sockets: dgram.Socket[] = [];

  constructor(impairment: Impairment) {
    this.up = new Link(impairment);
    this.down = new Link(impairment);
  }

  /** The loopback port that relays to the server's `ip`:`port`. */
  portFor(ip: string, port: number): Promise<number> {
    const key = `${ip}:${port}`;
    let front = this.#fronts.get(key);
    if (!front) {
      front = this.#open(ip, port);
      this.#fronts.set(key, front);
    }
    return front;
  }

  async #open(ip: string, port: number): Promise<number> {
    const front = this.#socket();
    const backs = new Map<string, dgram.Socket>();
    front.on('message', (message, from) => {
      const client = `${from.address}:${from.port}`;
      let back = backs.get(client);
      if (!back) {
        const socket = this.#socket();
        socket.bind(0, '127.0.0.1');
        socket.on('message', (reply) => this.down.pass(reply.length, () => front.send(reply, from.port, from.address)));
        backs.set(client, socket);
        back = socket;
      }
      const towards = back;
      this.up.pass(message.length, () => towards.send(message, port, ip));
    });
    await new Promise<void>((resolve) => front.bind(0, '127.0.0.1', resolve));
    return front.address().port;
  }

  #socket(): dgram.Socket {
    const socket = dgram.createSocket('udp4');
    socket.on('error', () => {}); // a closed peer port (ICMP unreachable) is a lost packet here
    this.#sockets.push(socket);
    return socket;
  }

  close(): void {
    for (const socket of this.#sockets) socket.close();
  }
}
