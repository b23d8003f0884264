/**
 * The dialect-specific pieces of full-text search shared by the case file's search
 * (case-text.repository.ts) and the acts search (acts.repository.ts). SQLite searches FTS5 tables
 * with MATCH expressions; PostgreSQL searches stored tsvectors (db/migrations-pg/0001: Russian
 * texts stemmed, Kazakh ones as written) with tsqueries built here from the same terms, so a user
 * gets the same hits in the same order from either, with the same \u0001…\u0002 highlighting.
 *
 * The terms are what the query parsers made of the user's words (search-text.ts, word-forms.ts):
 * stems searched as prefixes. On PostgreSQL each term passes through the text's configuration
 * too (`to_tsquery(config, 'term':*)`), so a Russian stem meets the stored Russian stems — «украл»
 * finds «украли», whose stem is «укра» — and a Kazakh one the words as written. Where the Snowball
 * stemmer and the prefix disagree on a rare word, PostgreSQL answers by the stemmer; and a stop word
 * of the configuration («и», «не», English «or») is left out of a PostgreSQL query (its texts do not
 * store it), where SQLite searches it as a prefix like any other word.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../../db/database.ts';

/** The text search configuration of a language of proceedings (the migration's `ezal_search_config`). */
export function searchConfig(language: string): SQL {
  return sql`ezal_search_config(${language})`;
}

/** One term as a tsquery operand that no input can break: quoted, quotes and backslashes escaped. */
function quoted(term: string): string {
  return `'${term.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

/** The tsquery of one term searched as a prefix, in `config`. */
export function prefixTerm(config: SQL, term: string): SQL {
  return sql`to_tsquery(${config}, ${`${quoted(term)}:*`})`;
}

/** A tsquery of terms next to each other, in this order (FTS5's NEAR(…, 0) with its words as typed). */
export function prefixPhrase(config: SQL, terms: string[]): SQL {
  return sql`to_tsquery(${config}, ${terms.map((term) => `${quoted(term)}:*`).join(' <-> ')})`;
}

/** A tsquery of a token matched whole, as written (act tags). */
export function exactTerm(term: string): SQL {
  return sql`to_tsquery('pg_catalog.simple', ${quoted(term)})`;
}

/** Every part required. */
export function allOf(parts: SQL[]): SQL {
  return sql`(${sql.join(parts, sql` && `)})`;
}

/** At least one part. */
export function anyOf(parts: SQL[]): SQL {
  return sql`(${sql.join(parts, sql` || `)})`;
}

/**
 * ts_headline's options for a snippet of about `words` words around the best match, marked like
 * FTS5's snippet() with \u0001 and \u0002.
 */
export function headlineOptions(words: number): string {
  return `StartSel=\u0001, StopSel=\u0002, MaxWords=${words}, MinWords=${Math.max(1, Math.floor(words / 3))}, ShortWord=0, MaxFragments=1, FragmentDelimiter=…`;
}

/** ts_headline of `body` for `query`: a snippet of about `words` words (see headlineOptions). */
export function headline(config: SQL, body: SQL, query: SQL, words: number): SQL {
  return sql`ts_headline(${config}, ${body}, ${query}, ${headlineOptions(words)})`;
}

/** A PostgreSQL headline with '…' where text was left out before or after it (FTS5's snippet() does that itself). */
export function withEllipses(snippet: string, at: number | string, bodyLength: number | string): string {
  const plain = snippet.replaceAll('\u0001', '').replaceAll('\u0002', '');
  const start = Number(at);
  const before = start > 1 ? '…' : '';
  const after = start > 0 && start - 1 + [...plain].length < Number(bodyLength) ? '…' : '';
  return `${before}${snippet}${after}`;
}

/** Runs a statement that returns no rows (`rows` is for queries: better-sqlite3 refuses `all()` on an insert). */
export async function execute(database: Database, statement: SQL): Promise<void> {
  if (database.dialect === 'sqlite') await database.db.run(statement);
  else await database.rows(statement);
}
