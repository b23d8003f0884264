/**
 * A charge's legal qualification as a lawyer would write it in the current language:
 * ru "п. 3 ч. 2 ст. 188 УК РК", kk "ҚР ҚК 188-бабы 2-бөлігінің 3-тармағы", en "…, art. 188 part 2 para. 3".
 * The word order differs by language, so each language has its own templates in the dictionaries.
 */
import type { Qualification } from '../types.ts';
import { i18n } from './i18n.svelte.ts';

/** The names under which the Criminal Code of Kazakhstan may arrive from ERDR. */
const CRIMINAL_CODE = new Set(['УК РК', 'ҚР ҚК', 'CC RK']);

export function formatQualification(q: Qualification): string {
  const code = CRIMINAL_CODE.has(q.code.trim()) ? i18n.t('qualification.criminal_code') : q.code;
  const params = { code, article: q.article, part: q.part ?? '', paragraph: q.paragraph ?? '' };
  if (q.part && q.paragraph) return i18n.t('qualification.article_part_paragraph', params);
  if (q.part) return i18n.t('qualification.article_part', params);
  return i18n.t('qualification.article', params);
}
