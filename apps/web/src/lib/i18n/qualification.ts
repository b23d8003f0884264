/**
 * A charge's legal qualification in the current language. The wording rules live with the
 * server (it writes case summaries with them), so both sides always agree.
 */
import { formatArticle } from '$server/shared/qualification.ts';
import type { Qualification } from '../types.ts';
import { i18n } from './i18n.svelte.ts';

export function formatQualification(q: Qualification): string {
  return formatArticle(q, i18n.locale);
}
