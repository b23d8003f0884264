/**
 * A charge's legal qualification as a lawyer writes it, in each interface language:
 *   ru  "п. 3 ч. 2 ст. 188 УК РК"
 *   kk  "ҚР ҚК 188-бабы 2-бөлігінің 3-тармағы"
 *   en  "Criminal Code of Kazakhstan, art. 188 part 2 para. 3"
 * Used by the server (case summaries made at intake) and by the web app (the case page).
 * No imports: the web bundle takes this file as it is.
 */
export type Article = { code: string; article: string; part?: string; paragraph?: string };
export type QualificationLanguage = 'kk' | 'ru' | 'en';

/** The names under which the Criminal Code of Kazakhstan may arrive from ERDR. */
const CRIMINAL_CODE = new Set(['УК РК', 'ҚР ҚК', 'CC RK']);

const CODE_NAME: Record<QualificationLanguage, string> = { ru: 'УК РК', kk: 'ҚР ҚК', en: 'Criminal Code of Kazakhstan' };

export function formatArticle(q: Article, lang: QualificationLanguage): string {
  const code = CRIMINAL_CODE.has(q.code.trim()) ? CODE_NAME[lang] : q.code;
  const { article, part, paragraph } = q;
  switch (lang) {
    case 'ru':
      return [paragraph && `п. ${paragraph}`, part && `ч. ${part}`, `ст. ${article} ${code}`].filter(Boolean).join(' ');
    case 'kk':
      if (part && paragraph) return `${code} ${article}-бабы ${part}-бөлігінің ${paragraph}-тармағы`;
      if (part) return `${code} ${article}-бабының ${part}-бөлігі`;
      return `${code} ${article}-бабы`;
    case 'en':
      return `${code}, art. ${article}` + (part ? ` part ${part}` : '') + (paragraph ? ` para. ${paragraph}` : '');
  }
}
