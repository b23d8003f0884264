/**
 * Searching the text of one case file, for people with access to the case (the cases service's
 * rule; refusals audited there). Answers the pages that match in case-file order (volume, sheet),
 * with a snippet of each, and how much of the case file the index covers yet: text is read in the
 * background after intake, so a search right after it may not see every document.
 */
import type { SessionUser } from '../auth/auth.service.ts';
import type { CasesService } from '../cases/cases.service.ts';
import { AppError } from '../shared/errors.ts';
import type { CaseTextRepository } from './case-text.repository.ts';
import type { SnippetPart, SearchAnswer } from '../shared/api/case-search.ts';
import { parseSearchQuery } from './search-text.ts';

type Deps = { texts: CaseTextRepository; cases: CasesService };

export class CaseSearchService {
  #deps: Deps;

  constructor(deps: Deps) {
    this.#deps = deps;
  }

  async search(user: SessionUser, caseId: string, input: { q: string; limit: number; offset: number }, ip: string | null): Promise<SearchAnswer> {
    await this.#deps.cases.requireAccess(user, caseId, 'case.search', ip);
    const query = parseSearchQuery(input.q);
    if (!query) throw new AppError('invalid_request', 'The query has no word to search for', [{ path: '/q', message: 'no letters or digits' }]);
    const { total, matches } = await this.#deps.texts.search(caseId, query, input.limit, input.offset);
    return {
      terms: query.terms,
      total,
      offset: input.offset,
      hits: matches.map(({ snippet, ...where }) => ({ ...where, snippet: snippetParts(snippet) })),
      coverage: await this.#deps.texts.coverage(caseId),
    };
  }
}

/** "a \u0001b\u0002 c" → [{ a, false }, { b, true }, { c, false }]; lines become spaces. */
export function snippetParts(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  for (const piece of snippet.replace(/\n/g, ' ').split('\u0001')) {
    const end = piece.indexOf('\u0002');
    if (end === -1) parts.push({ text: piece, hit: false });
    else parts.push({ text: piece.slice(0, end), hit: true }, { text: piece.slice(end + 1), hit: false });
  }
  return parts.filter((part) => part.text.length > 0);
}
