/**
 * An act's facts as search tokens, stored in the `tags` column of `acts_text`: court, judge,
 * each article, outcome, kind, and its date three times (year, month, day). A filtered search is
 * then one FTS5 expression — the words AND the filters — answered by intersecting doclists, with
 * no lookup of `judicial_acts` per match. A date range becomes the fewest whole years, months and
 * days that cover it. Tokens are plain letters and digits, so unicode61 keeps each one whole.
 */
import type { ActFilters } from './acts.repository.ts';

export type TaggedFacts = { courtId: string; judgeId: string; articles: string[]; outcome: string; kind: string; actDate: string };

const idToken = (prefix: string, id: string) => `${prefix}${id.toLowerCase().replace(/[^a-z0-9]/g, '')}`;
const articleToken = (article: string) => `art${article.replace(/[^0-9a-z]/gi, 'x')}`;

export function tagsOf(act: TaggedFacts): string {
  const [y, m, d] = act.actDate.split('-');
  return [idToken('crt', act.courtId), idToken('jdg', act.judgeId), ...act.articles.map(articleToken), `out${act.outcome}`, `knd${act.kind}`, `y${y}`, `m${y}${m}`, `d${y}${m}${d}`].join(' ');
}

/** The court tag, for readers who see a whole court. */
export function courtTag(courtId: string): string {
  return idToken('crt', courtId);
}

/**
 * The filters as tokens: every group required, any token of a group enough (a date range is one
 * group of years, months and days); empty when there are none.
 */
export function filterTokens(filters: ActFilters): string[][] {
  const groups: string[][] = [];
  if (filters.courtId) groups.push([idToken('crt', filters.courtId)]);
  if (filters.judgeId) groups.push([idToken('jdg', filters.judgeId)]);
  if (filters.article) groups.push([articleToken(filters.article)]);
  if (filters.outcome) groups.push([`out${filters.outcome}`]);
  if (filters.kind) groups.push([`knd${filters.kind}`]);
  if (filters.from || filters.to) {
    const range = dateTokens(filters.from ?? '1990-01-01', filters.to ?? '2100-12-31');
    // An empty range matches nothing: a token no act has.
    groups.push(range.length === 0 ? ['nodate'] : range);
  }
  return groups;
}

/** The FTS5 expression for the filters (every token quoted), or null when there are none. */
export function filterExpression(filters: ActFilters): string | null {
  const q = (token: string) => `"${token}"`;
  const groups = filterTokens(filters);
  const dated = Boolean(filters.from || filters.to);
  const parts = groups.map((group, i) => (dated && i === groups.length - 1 && group[0] !== 'nodate' ? `(${group.map(q).join(' OR ')})` : q(group[0]!)));
  return parts.length === 0 ? null : parts.join(' AND ');
}

/** The fewest year, month and day tokens covering [from, to] (YYYY-MM-DD, inclusive). */
export function dateTokens(from: string, to: string): string[] {
  const tokens: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  let day = Math.max(Date.parse(`${from}T00:00:00Z`), Date.parse('1990-01-01T00:00:00Z'));
  const at = (ms: number) => new Date(ms);
  while (day <= end) {
    const d = at(day);
    const y = d.getUTCFullYear();
    const m = d.getUTCMonth();
    const yearEnd = Date.UTC(y, 11, 31);
    const monthEnd = Date.UTC(y, m + 1, 0);
    if (m === 0 && d.getUTCDate() === 1 && yearEnd <= end) {
      tokens.push(`y${y}`);
      day = Date.UTC(y + 1, 0, 1);
    } else if (d.getUTCDate() === 1 && monthEnd <= end) {
      tokens.push(`m${y}${String(m + 1).padStart(2, '0')}`);
      day = Date.UTC(y, m + 1, 1);
    } else {
      tokens.push(`d${d.toISOString().slice(0, 10).replaceAll('-', '')}`);
      day += 86_400_000;
    }
  }
  return tokens;
}
