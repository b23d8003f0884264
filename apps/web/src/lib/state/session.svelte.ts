/**
 * Who is logged in. The layout reads `status` to decide between the login page and the app;
 * pages call the intent methods (`login`, `logout`, `changeLocale`) and never touch the API's
 * auth endpoints themselves.
 */
import * as api from '../api.ts';
import { errorCode, type ErrorCode } from '../api.ts';
import { i18n } from '../i18n/i18n.svelte.ts';
import type { Locale, User } from '../types.ts';

/** `unknown` until the first GET /api/me has answered. */
export type SessionStatus = 'unknown' | 'anonymous' | 'authenticated';

/** Why nobody is logged in: it decides what the login page says and where it leads afterwards. */
export type SignedOutReason = 'initial' | 'logout' | 'expired';

class Session {
  #status = $state<SessionStatus>('unknown');
  #user = $state<User | null>(null);
  #reason = $state<SignedOutReason>('initial');
  /** Set when the server could not be asked who we are (down, or an unexpected error). */
  #startError = $state<ErrorCode | null>(null);

  constructor() {
    // Any API call answered 401 means the session ended (expired, or logged out in another tab).
    api.setUnauthenticatedHandler(() => {
      if (this.#status === 'authenticated') this.#signedOut('expired');
    });
  }

  get status(): SessionStatus {
    return this.#status;
  }

  get user(): User | null {
    return this.#user;
  }

  get reason(): SignedOutReason {
    return this.#reason;
  }

  get startError(): ErrorCode | null {
    return this.#startError;
  }

  /** The court office and the chair receive cases from ERDR (the server enforces the same rule). */
  get receivesCases(): boolean {
    const roles = this.#user?.roles ?? [];
    return roles.includes('office') || roles.includes('chair');
  }

  /** Asks the server whether this browser already has a session (the cookie is httpOnly). */
  async load(): Promise<void> {
    this.#startError = null;
    try {
      const { user } = await api.getMe();
      await this.#useLocale(user);
      this.#signedIn(user);
    } catch (error) {
      const code = errorCode(error);
      if (code === 'unauthenticated') this.#signedOut('initial');
      else this.#startError = code;
    }
  }

  /** Throws an ApiError (e.g. `invalid_credentials`, `rate_limited`) for the login page to show. */
  async login(username: string, password: string): Promise<void> {
    const { user } = await api.login(username, password);
    await this.#useLocale(user);
    this.#signedIn(user);
  }

  async logout(): Promise<void> {
    try {
      await api.logout();
    } catch {
      // Even if the server did not answer, this tab forgets the user; the cookie expires on its own.
    }
    this.#signedOut('logout');
  }

  /**
   * Switches the language at once, and, when logged in, saves it for the user so every device
   * they log in from uses it. If saving fails, the previous language comes back and the error
   * is thrown for the caller to show.
   */
  async changeLocale(locale: Locale): Promise<void> {
    const previous = i18n.locale;
    // The language's dictionary may have to be downloaded first (see i18n.svelte.ts).
    await i18n.use(locale);
    if (this.#status !== 'authenticated') return;
    try {
      const { user } = await api.saveLocale(locale);
      this.#user = user;
    } catch (error) {
      await i18n.use(previous);
      throw error;
    }
  }

  /**
   * The user's language, its dictionary downloaded before the app shows them anything: no page
   * in the device's language for a moment first. Failing that, the current language stays.
   */
  async #useLocale(user: User): Promise<void> {
    await i18n.use(user.locale).catch((error: unknown) => console.error(error));
  }

  #signedIn(user: User): void {
    this.#user = user;
    this.#status = 'authenticated';
    i18n.useTimeZone(user.court?.timezone);
  }

  #signedOut(reason: SignedOutReason): void {
    this.#user = null;
    this.#reason = reason;
    this.#status = 'anonymous';
  }
}

/** The one session of this browser tab. */
export const session = new Session();
