/**
 * Procedural time limits the situation centre watches, as configuration: each rule says from what
 * to what it runs, how many calendar days it allows (counted in court-local days: the limit is
 * kept if the end falls on the due day or before), to which cases it applies, and where the law
 * says so. The court edits this list; the engine (situation.repository.ts) computes every open
 * case's due day per rule and flags breaches.
 *
 * Sources are stated honestly. The shared domain notes (docs/domain.md, recommendation 004 item 3)
 * say only that limits differ by procedure and must be configurable; the article numbers of the
 * Criminal Procedure Code of the Republic of Kazakhstan (УПК РК) for each value below are to be
 * confirmed by the court before the figures are used as official statistics.
 *
 * A suspended case's clock stops: it is counted among suspended cases (with how long), not as a
 * breach. Days are calendar days; holidays are not skipped (the CPC counts limits in days/months,
 * not working days, except where it says so).
 */
export const DEADLINE_RULE_IDS = ['first_hearing', 'trial_length', 'custody'] as const;
export type DeadlineRuleId = (typeof DEADLINE_RULE_IDS)[number];

export type DeadlineRule = {
  id: DeadlineRuleId;
  /** Calendar days from the day of receipt (court-local) to the last day the limit allows. */
  days: number;
  /** "About to pass": due within this many days (today included). */
  warnDays: number;
  /** `first_hearing` ends when the first hearing was opened; the others run while the case is open. */
  endsAt: 'first_hearing_opened' | 'case_closed';
  /** `custody` applies only to cases with a defendant in custody. */
  appliesTo: 'all' | 'custody';
  name: { kk: string; ru: string; en: string };
  source: { kk: string; ru: string; en: string };
};

const TO_CONFIRM = {
  kk: 'ҚР ҚПК — бап нөмірін сот растауы керек',
  ru: 'УПК РК — номер статьи подлежит подтверждению судом',
  en: 'CPC of Kazakhstan — article number to be confirmed by the court',
};

export const DEFAULT_DEADLINE_RULES: DeadlineRule[] = [
  {
    id: 'first_hearing',
    days: 30,
    warnDays: 5,
    endsAt: 'first_hearing_opened',
    appliesTo: 'all',
    name: { kk: 'Істі қабылдаудан бірінші отырысқа дейін', ru: 'От поступления дела до первого заседания', en: 'From receipt to the first hearing' },
    source: TO_CONFIRM,
  },
  {
    id: 'trial_length',
    days: 60,
    warnDays: 7,
    endsAt: 'case_closed',
    appliesTo: 'all',
    name: { kk: 'Істі қараудың ұзақтығы', ru: 'Срок рассмотрения дела', en: 'Length of trial' },
    source: TO_CONFIRM,
  },
  {
    id: 'custody',
    days: 182,
    warnDays: 14,
    endsAt: 'case_closed',
    appliesTo: 'custody',
    name: { kk: 'Сот талқылауы кезінде күзетпен ұстау мерзімі', ru: 'Срок содержания под стражей в ходе судебного разбирательства', en: 'Custody during trial' },
    source: TO_CONFIRM,
  },
];

/** Checks a rule list (from configuration) before the engine trusts it. */
export function validateRules(rules: DeadlineRule[]): DeadlineRule[] {
  const ids = new Set<string>();
  for (const rule of rules) {
    if (ids.has(rule.id)) throw new Error(`deadline rule ${rule.id} is listed twice`);
    ids.add(rule.id);
    if (!Number.isInteger(rule.days) || rule.days < 1 || rule.days > 3650) throw new Error(`deadline rule ${rule.id}: days must be 1–3650`);
    if (!Number.isInteger(rule.warnDays) || rule.warnDays < 0 || rule.warnDays >= rule.days) throw new Error(`deadline rule ${rule.id}: warnDays must be 0–days`);
  }
  return rules;
}
