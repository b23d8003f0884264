/**
 * Procedural time limits the situation centre watches, as configuration: each rule says from what
 * to what it runs, how many calendar days it allows (counted in court-local days: the limit is
 * kept if the end falls on the due day or before), to which cases it applies, and where the law
 * says so. The court edits this list; the engine (situation.repository.ts) computes every open
 * case's due day per rule and flags breaches.
 *
 * Sources (docs/situation-centre.md lists where each was read). The Criminal Procedure Code of
 * the Republic of Kazakhstan of 4 July 2014 No. 231-V (УПК РК / ҚР ҚПК) sets the first limit:
 * the judge decides on a case received within 5 days (art. 319) and the main trial starts within
 * 15 days of the decision to hold it (art. 322; up to 30 in exceptional cases) — 20 days from
 * receipt. For the length of the trial and for custody during the trial we found no fixed number
 * of days in the Code's text available to us: the trial must end within a reasonable time, and on
 * receiving the case the judge reviews the measure of restraint and extends it if it has expired
 * (art. 319 part 5). Those two rules are the court's own control terms, and their source says so
 * (with the provision they serve); a court changes the days, or puts an article, here.
 *
 * A suspended case's clock stops: it is counted among suspended cases (with how long), not as a
 * breach; once resumed, the limits that end when the case is closed are longer by the days it was
 * suspended (its status history, case_status_changes). Days are calendar days; holidays are not
 * skipped (the CPC counts limits in days/months, not working days, except where it says so).
 */
import type { DeadlineRuleId } from '../shared/api/situation.ts';

export type DeadlineRule = {
  id: DeadlineRuleId;
  /** Calendar days from the day of receipt (court-local) to the last day the limit allows. */
  days: number;
  /** "About to pass": due within this many days (today included). */
  warnDays: number;
  /** `first_hearing` ends when the first hearing was opened; the others run while the case is open, and stop while it is suspended. */
  endsAt: 'first_hearing_opened' | 'case_closed';
  /** `custody` applies only to cases with a defendant in custody. */
  appliesTo: 'all' | 'custody';
  name: { kk: string; ru: string; en: string };
  source: { kk: string; ru: string; en: string };
};

export const DEFAULT_DEADLINE_RULES: DeadlineRule[] = [
  {
    id: 'first_hearing',
    days: 20,
    warnDays: 5,
    endsAt: 'first_hearing_opened',
    appliesTo: 'all',
    name: { kk: 'Істі қабылдаудан бірінші отырысқа дейін', ru: 'От поступления дела до первого заседания', en: 'From receipt to the first hearing' },
    source: {
      kk: 'ҚР ҚПК 319-бап (түскен іс бойынша шешім — 5 тәулік) және 322-бап (бас сот талқылауы тағайындау туралы қаулыдан бастап 15 тәулікте басталады, айрықша жағдайларда 30 күнге дейін)',
      ru: 'УПК РК, ст. 319 (решение по поступившему делу — 5 суток) и ст. 322 (главное судебное разбирательство начинается в 15 суток со дня постановления о назначении, в исключительных случаях — до 30)',
      en: 'CPC of Kazakhstan, art. 319 (decision on a case received: 5 days) and art. 322 (the main trial starts within 15 days of the decision to hold it, 30 in exceptional cases)',
    },
  },
  {
    id: 'trial_length',
    days: 60,
    warnDays: 7,
    endsAt: 'case_closed',
    appliesTo: 'all',
    name: { kk: 'Істі қараудың ұзақтығы', ru: 'Срок рассмотрения дела', en: 'Length of trial' },
    source: {
      kk: 'Соттың бақылау мерзімі, ҚР ҚПК нормасы емес: ҚПК бас сот талқылауының ақылға қонымды мерзімде аяқталуын талап етеді',
      ru: 'Контрольный срок суда, не норма УПК РК: УПК РК требует завершить главное судебное разбирательство в разумный срок',
      en: "The court's control term, not a norm of the CPC of Kazakhstan: the Code requires the main trial to end within a reasonable time",
    },
  },
  {
    id: 'custody',
    days: 182,
    warnDays: 14,
    endsAt: 'case_closed',
    appliesTo: 'custody',
    name: { kk: 'Сот талқылауы кезінде күзетпен ұстау мерзімі', ru: 'Срок содержания под стражей в ходе судебного разбирательства', en: 'Custody during trial' },
    source: {
      kk: 'Соттың бақылау мерзімі, ҚР ҚПК нормасы емес; ҚПК 319-бабының 5-бөлігі: іс түскенде судья бұлтартпау шарасын тексеріп, мерзімі өтсе ұзартады',
      ru: 'Контрольный срок суда, не норма УПК РК; ст. 319 ч. 5 УПК РК: при поступлении дела судья проверяет меру пресечения и продлевает её срок, если он истёк',
      en: "The court's control term, not a norm of the CPC; CPC art. 319 part 5: on receiving the case the judge reviews the measure of restraint and extends it if it has expired",
    },
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
