/**
 * The secretary's running clock: time since the hearing opened, as the short protocol writes it
 * (each entry carries its time in the recording). Hours are not wrapped at 24: a hearing that
 * runs past midnight shows 25:10:00, not 01:10:00.
 */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  return [hours, minutes, seconds].map((n) => String(n).padStart(2, '0')).join(':');
}
