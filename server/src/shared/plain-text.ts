/**
 * What the parties and the judge type into motions, positions and rulings is plain text: it is
 * stored as typed and always rendered as text (never as HTML), so nothing in it can run. Markup
 * that looks like a script and control characters are refused outright with `text_unsafe`: a
 * court record has no use for them, and a clear refusal beats a silently mangled text.
 */
import { AppError } from './errors.ts';

/** Control characters other than tab and line breaks; bidi overrides that can disguise text. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/;
/** An HTML tag that runs or loads something, or a javascript: address. */
const SCRIPT_LIKE = /<\s*\/?\s*(script|iframe|object|embed|svg|img|style|link|meta)\b|javascript\s*:|\bon[a-z]+\s*=/i;

/** The text trimmed, with Windows line breaks made plain; `text_unsafe` when it holds markup or control characters. */
export function plainText(text: string): string {
  if (CONTROL.test(text)) throw new AppError('text_unsafe', 'The text holds control characters');
  if (SCRIPT_LIKE.test(text)) throw new AppError('text_unsafe', 'The text holds markup (a script, a tag or an event handler); motions are plain text');
  return text.replace(/\r\n?/g, '\n').trim();
}
