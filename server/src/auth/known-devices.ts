/**
 * The known-device cookie (`ezal_device`): set at every successful login, signed with the cookie
 * secret, it names the accounts that logged in from this browser and since when. The login guard
 * exempts such a device from the address limit for those accounts (login-guard.ts). It proves only
 * that this browser logged in as the account before — never who someone is: the password is always checked.
 */
import crypto from 'node:crypto';

export const DEVICE_COOKIE = 'ezal_device';

/** Accounts remembered per device (a shared workstation), most recent first. */
const MAX_ACCOUNTS = 5;

export type KnownDevice = { id: string; accounts: { userId: string; since: number }[] };

/** The device of an unsigned cookie value, its stale accounts dropped; null for anything malformed. */
export function parseDevice(value: string | null | undefined, ttlMs: number, now = Date.now()): KnownDevice | null {
  if (!value) return null;
  const dot = value.indexOf('.');
  const id = value.slice(0, dot);
  if (dot <= 0 || !/^[\w-]{8,64}$/.test(id)) return null;
  const accounts = value
    .slice(dot + 1)
    .split(',')
    .map((entry) => {
      const [userId, since] = entry.split('~');
      return { userId, since: Number(since) * 1000 };
    })
    .filter((a) => /^[\w-]{1,64}$/.test(a.userId ?? '') && Number.isFinite(a.since) && now - a.since < ttlMs);
  return { id, accounts };
}

/** The device after `userId` logged in from it: a new device when there was none. */
export function rememberAccount(device: KnownDevice | null, userId: string, now = Date.now()): KnownDevice {
  const others = (device?.accounts ?? []).filter((a) => a.userId !== userId);
  return { id: device?.id ?? crypto.randomBytes(12).toString('base64url'), accounts: [{ userId, since: now }, ...others].slice(0, MAX_ACCOUNTS) };
}

export function formatDevice(device: KnownDevice): string {
  return `${device.id}.${device.accounts.map((a) => `${a.userId}~${Math.floor(a.since / 1000)}`).join(',')}`;
}
