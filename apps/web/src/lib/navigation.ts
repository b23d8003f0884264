/**
 * Where to go after login. `next` comes from the address bar, so anything but a path inside this
 * app (e.g. "//evil.example" or "https://…") is ignored: no open redirects.
 */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (next === '/login' || next.startsWith('/login?')) return '/';
  return next;
}

/** The login address that brings the user back to `here` afterwards (plain /login for home). */
export function loginUrl(here: string | null): string {
  return here && here !== '/' ? `/login?next=${encodeURIComponent(here)}` : '/login';
}
