/**
 * The one-line description of a case the court's lists show, made at intake in all three
 * interface languages from the accused and the articles of the charge, e.g.
 *   "Ахметов Данияр Серикович — п. 3 ч. 2 ст. 188 УК РК".
 * Names stay as ERDR wrote them: declining or transliterating a person's name is not ours to do.
 */
import { formatArticle, type Article, type QualificationLanguage } from '../shared/qualification.ts';

export function caseSummary(accused: string[], qualification: Article[]): { kk: string; ru: string; en: string } {
  const names = accused.join(', ');
  const line = (lang: QualificationLanguage) => `${names} — ${qualification.map((q) => formatArticle(q, lang)).join('; ')}`;
  return { kk: line('kk'), ru: line('ru'), en: line('en') };
}
