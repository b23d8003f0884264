/**
 * Judicial acts: the judge of a case marks a document of its case file as the act of a hearing
 * (audited); the act then enters the acts index, as written and depersonalised. Anyone on the
 * court's staff side may search all acts; what they read depends on the case: entitled readers
 * (the cases service's rule) see the original, everyone else only the depersonalised text — in
 * snippets, in the full text, and in what a search can match at all.
 */
import crypto from 'node:crypto';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { SessionUser } from '../auth/auth.service.ts';
import { snippetParts } from '../case-text/case-search.service.ts';
import { searchableText } from '../case-text/search-text.ts';
import type { CasesService } from '../cases/cases.service.ts';
import { AppError } from '../shared/errors.ts';
import type { ActFilters, ActsRepository } from './acts.repository.ts';
import type { ActListing, ActSearchAnswer, ActText, MarkAct } from '../shared/api/acts.ts';
import { depersonalise } from './depersonalise.ts';
import { parseActsQuery } from './word-forms.ts';

export type ActSearchInput = ActFilters & { q: string; limit: number; offset: number };
type Deps = { acts: ActsRepository; cases: CasesService; audit: AuditRepository; now?: () => Date };

export class ActsService {
  #deps: Deps;

  constructor(deps: Deps) {
    this.#deps = deps;
  }

  async mark(user: SessionUser, caseId: string, input: MarkAct, ip: string | null): Promise<{ act: ActListing; created: boolean }> {
    const { acts, cases, audit } = this.#deps;
    const relations = await cases.requireAccess(user, caseId, 'act.mark', ip);
    if (!relations.some((r) => r.kind === 'staff' && r.role === 'judge')) {
      await audit.record({ userId: user.id, actor: user.username, action: 'act.mark', outcome: 'denied', caseId, target: input.documentId, ip, details: { reason: 'not_case_judge' } });
      throw new AppError('not_case_judge', 'Only the judge of the case marks its acts');
    }
    if (!(await acts.documentInCase(caseId, input.documentId))) throw new AppError('not_found', 'No document with pages has this id in this case');
    if (input.hearingId && !(await acts.hearingInCase(caseId, input.hearingId))) throw new AppError('not_found', 'No hearing of this case has this id');
    const facts = (await acts.caseFacts(caseId))!;
    const articles = [...new Set(facts.qualification.map((q) => q.article))];
    const existing = await acts.byDocument(input.documentId);
    const saved = await acts.save({
      id: existing?.id ?? crypto.randomUUID(),
      caseId,
      documentId: input.documentId,
      hearingId: input.hearingId ?? null,
      courtId: facts.courtId,
      judgeId: facts.judgeId ?? user.id,
      kind: input.kind,
      outcome: input.outcome,
      actDate: input.date,
      articles,
      articleKeys: `,${articles.join(',')},`,
      markedBy: user.id,
      markedAt: this.#now(),
    });
    await audit.record({
      userId: user.id,
      actor: user.username,
      action: 'act.mark',
      outcome: 'allowed',
      caseId,
      target: saved.id,
      ip,
      details: { documentId: input.documentId, kind: input.kind, outcome: input.outcome, date: input.date },
    });
    await this.indexPending();
    return { act: (await acts.listing(saved.id))!, created: !existing };
  }

  async listForCase(user: SessionUser, caseId: string, ip: string | null): Promise<ActListing[]> {
    await this.#deps.cases.requireAccess(user, caseId, 'act.list', ip);
    return this.#deps.acts.listForCase(caseId);
  }

  async search(user: SessionUser, input: ActSearchInput, ip: string | null): Promise<ActSearchAnswer> {
    await this.#requireReader(user, 'act.search', ip);
    const query = parseActsQuery(input.q);
    if (!query) throw new AppError('invalid_request', 'The query has no word to search for', [{ path: '/q', message: 'no letters or digits' }]);
    const courtWide = user.roles.includes('office') || user.roles.includes('chair');
    const { q: _q, limit, offset, ...filters } = input;
    const found = await this.#deps.acts.search({ userId: user.id, courtWideId: courtWide ? user.courtId : null }, query, filters, { limit, offset });
    return {
      terms: query.terms,
      total: found.total,
      capped: found.capped,
      offset,
      hits: found.hits.map((hit) => ({ act: hit.act, depersonalised: !hit.entitled, snippet: snippetParts(hit.snippet) })),
    };
  }

  /** The act's full text: as written for those entitled to its case (audited), depersonalised for everyone else. */
  async text(user: SessionUser, actId: string, ip: string | null): Promise<ActText> {
    await this.#requireReader(user, 'act.read', ip);
    const { acts, cases, audit } = this.#deps;
    const row = await acts.get(actId);
    if (!row) throw new AppError('not_found', 'No such act');
    if (row.indexedAt === null) throw new AppError('act_text_pending', 'The text of this act has not been read yet');
    const entitled = await cases.isEntitled(user, row.caseId);
    const text = (await acts.text(row.textKey, entitled ? 'body' : 'public_body')) ?? '';
    if (entitled) await audit.record({ userId: user.id, actor: user.username, action: 'act.read', outcome: 'allowed', caseId: row.caseId, target: actId, ip });
    return { act: (await acts.listing(actId))!, depersonalised: !entitled, text };
  }

  /**
   * Indexes the acts whose document text is ready: called after marking, and periodically
   * (the case-text indexer reads documents in the background, so an act marked right after
   * intake waits for it). Returns how many acts entered the index.
   */
  async indexPending(): Promise<number> {
    const { acts } = this.#deps;
    let done = 0;
    for (;;) {
      const batch = await acts.pending(50);
      if (batch.length === 0) return done;
      for (const act of batch) {
        // Folded like the case file's text (ё → е, blanks): FTS5's unicode61 does not fold ё.
        const body = searchableText(await acts.documentText(act.documentId));
        const language = (await acts.caseFacts(act.caseId))?.language ?? 'ru';
        const publicBody = searchableText(depersonalise(body, await acts.participants(act.caseId), language).text);
        await acts.index(act, { body, publicBody, language }, this.#now());
        done++;
      }
    }
  }

  /** Wall screens of halls read nothing but their hall's hearing. */
  async #requireReader(user: SessionUser, action: string, ip: string | null): Promise<void> {
    if (user.roles.every((role) => role === 'hall_display')) {
      await this.#deps.audit.record({ userId: user.id, actor: user.username, action, outcome: 'denied', ip });
      throw new AppError('forbidden', 'This account cannot read judicial acts');
    }
  }

  #now(): Date {
    return this.#deps.now?.() ?? new Date();
  }
}
