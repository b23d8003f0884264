/**
 * Builds the dispatcher from the configuration: a sender for each configured channel. A channel
 * left unconfigured (the demo: both) is said so once in the log at start, and the summonses
 * written meanwhile record that nothing went out on it.
 */
import type { NotificationChannel } from '../../../db/schema.ts';
import type { Config } from '../config.ts';
import { NotificationDispatcher } from './dispatcher.ts';
import { HttpSmsSender } from './http-sms-sender.ts';
import type { OutboxQueue } from './outbox.repository.ts';
import type { MessageSender } from './sender.ts';
import { SmtpSender } from './smtp-sender.ts';

type Log = ConstructorParameters<typeof NotificationDispatcher>[0]['log'];

/** `node`: this node's name (NODE_NAME), written in the claims of the messages it sends. */
export function createDispatcher(config: Config['notifications'], outbox: OutboxQueue, log: Log, node?: string): NotificationDispatcher {
  const senders: Partial<Record<NotificationChannel, MessageSender>> = {};
  if (config.email) {
    senders.email = new SmtpSender(config.email);
    log.info({ host: config.email.host, port: config.email.port }, 'e-mail notifications are on');
  } else {
    log.warn({}, 'e-mail notifications are OFF (SMTP_HOST is not set): summonses are recorded, no e-mail is sent');
  }
  if (config.sms) {
    senders.sms = new HttpSmsSender(config.sms);
    log.info({ gateway: new URL(config.sms.url).origin }, 'SMS notifications are on');
  } else {
    log.warn({}, 'SMS notifications are OFF (SMS_GATEWAY_URL is not set): summonses are recorded, no SMS is sent');
  }
  return new NotificationDispatcher({
    outbox,
    senders,
    maxAttempts: config.maxAttempts,
    retryBaseMs: config.retryBaseSeconds * 1000,
    log,
    node,
  });
}
