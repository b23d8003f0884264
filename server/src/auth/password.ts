/**
 * Password hashing with argon2id (OWASP's recommended parameters are the library's defaults), and
 * the rule a password must meet when it is set. The rule is checked only when a password is set,
 * never at login: accounts made before it (the demo's `ezal-demo`) still log in.
 */
import { hash, verify } from '@node-rs/argon2';

export const MIN_PASSWORD_LENGTH = 10;

/** The obvious choices guessers try first (compared lower-case, with digits and symbols at the end stripped too). */
const COMMON = new Set([
  'password',
  'passw0rd',
  'p@ssw0rd',
  'qwerty',
  'qwertyuiop',
  'qwerty123',
  'asdfghjkl',
  'zxcvbnm',
  'iloveyou',
  'admin',
  'administrator',
  'welcome',
  'letmein',
  'changeme',
  'secret',
  'default',
  'monkey',
  'dragon',
  'football',
  'baseball',
  'sunshine',
  'princess',
  'master',
  'superman',
  'trustno1',
  'starwars',
  'whatever',
  'computer',
  'internet',
  'court',
  'judge',
  'sudya',
  'parol',
  'parol123',
  'пароль',
  'йцукен',
  'йцукенгшщз',
  'ezal',
  'e-zal',
  'ezal-demo',
  'kazakhstan',
  'qazaqstan',
  'astana',
  'almaty',
  'temp',
  'test',
  'user',
]);

/** Keyboard rows and alphabets a "run" is taken from, forwards or backwards. */
const SEQUENCES = ['0123456789', 'abcdefghijklmnopqrstuvwxyz', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm', 'абвгдеёжзийклмнопрстуфхцчшщъыьэюя', 'йцукенгшщзхъ', 'фывапролджэ', 'ячсмитьбю'];

/**
 * A refusal to show the administrator as it is, not a fault to trace: the admin CLI prints the
 * error, and this one prints as `error: <why>`, like its own usage errors.
 */
export class WeakPasswordError extends Error {
  constructor(message: string) {
    super(message);
    this.stack = `error: ${message}`;
  }
}
Object.defineProperty(WeakPasswordError.prototype, 'name', { value: 'error' });

/**
 * Why the password is refused, or null when it is acceptable. `about`: the account it is for, whose
 * username and names must not be in it.
 */
export function passwordProblem(password: string, about: { username?: string; fullName?: string } = {}): string | null {
  const lower = password.toLowerCase();
  if ([...password].length < MIN_PASSWORD_LENGTH) return `the password must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (new Set(lower).size === 1) return 'the password must not be one character repeated';
  if (isRun(lower)) return 'the password must not be a run of keys or letters (1234567890, abcdefghij, qwertyuiop)';
  const bare = lower.replace(/[\d\W_]+$/u, '').replace(/^[\d\W_]+/u, '');
  if (COMMON.has(lower) || COMMON.has(bare)) return 'the password is one of the most common ones';
  const names = [about.username, ...(about.fullName ?? '').split(/\s+/)].map((n) => n?.trim().toLowerCase() ?? '').filter((n) => n.length >= 3);
  if (names.some((n) => lower.includes(n))) return 'the password must not contain the username or the name';
  return null;
}

/** Throws WeakPasswordError when the password does not meet the rule (passwordProblem). */
export function assertStrongPassword(password: string, about: { username?: string; fullName?: string } = {}): void {
  const problem = passwordProblem(password, about);
  if (problem) throw new WeakPasswordError(problem);
}

/** The hash of a password being set (refused with WeakPasswordError when it is too weak). */
export function hashPassword(password: string, about: { username?: string; fullName?: string } = {}): Promise<string> {
  try {
    assertStrongPassword(password, about);
  } catch (error) {
    return Promise.reject(error);
  }
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/**
 * Compared against when the username does not exist, so an unknown user costs as much time as a
 * wrong password and response times do not reveal which usernames exist.
 */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hash('e-zal: no such user');
  return dummyHash;
}

/** A password that is wholly a piece of one sequence (forwards or backwards), possibly repeated: 1234567890, 0987654321, abcabcabca. */
function isRun(lower: string): boolean {
  const chars = [...lower];
  for (const sequence of SEQUENCES) {
    for (const order of [sequence, [...sequence].reverse().join('')]) {
      const cyclic = order + order;
      let inRun = true;
      for (let i = 1; i < chars.length && inRun; i++) {
        const at = order.indexOf(chars[i - 1]);
        inRun = at >= 0 && cyclic[at + 1] === chars[i];
      }
      if (inRun && order.includes(chars[0])) return true;
    }
  }
  return false;
}
