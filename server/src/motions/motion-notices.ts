/**
 * A motion filed outside the hall, told to the presiding judge of the case and to every other
 * party: one outbox message per contact (e-mail, SMS), in the person's language, written in the
 * filing's transaction and sent by the notifications dispatcher afterwards (as summonses are,
 * hearings/summons-notices.ts). People with an account also get the `motion:filed` socket notice.
 */
import type { MotionKind } from '../../../db/schema.ts';
import type { NewNotice } from '../notifications/outbox.repository.ts';

export type MotionNoticeRecipient = { fullName: string; email: string | null; phone: string | null; locale: 'kk' | 'ru' };

const KIND = {
  kk: { motion: 'өтінішхат', recusal: 'қарсылық (отвод)', objection: 'төрағалық етушінің әрекетіне қарсылық', statement: 'өтініш' },
  ru: { motion: 'ходатайство', recusal: 'отвод', objection: 'возражение на действия председательствующего', statement: 'заявление' },
} as const;

export function composeMotionNotices(input: {
  caseNumber: string;
  motion: { number: number; kind: MotionKind; filerName: string; receiptNumber: string; remote: boolean };
  recipients: MotionNoticeRecipient[];
}): NewNotice[] {
  const { caseNumber, motion } = input;
  const notices: NewNotice[] = [];
  for (const person of input.recipients) {
    const kind = KIND[person.locale][motion.kind];
    const subject = person.locale === 'kk' ? `№ ${caseNumber} іс бойынша жаңа ${kind}` : `Новое ${kind === 'отвод' ? 'заявление об отводе' : kind} по делу № ${caseNumber}`;
    const remote = motion.remote ? (person.locale === 'kk' ? ' (бейнеконференция арқылы қатысу туралы)' : ' (об участии по видеоконференцсвязи)') : '';
    const body =
      person.locale === 'kk'
        ? `Құрметті ${person.fullName}!\n\n№ ${caseNumber} іс бойынша ${motion.filerName} № ${motion.number} ${kind}${remote} берді (түбіртек ${motion.receiptNumber}). Мәтінін e-Zal жүйесінде, іс бетінде оқуға болады.`
        : `Уважаемый(ая) ${person.fullName}!\n\nПо делу № ${caseNumber} ${motion.filerName} подал(а) ${kind} № ${motion.number}${remote} (квитанция ${motion.receiptNumber}). Текст — в системе e-Zal, на странице дела.`;
    const sms = person.locale === 'kk' ? `e-Zal: № ${caseNumber} іс бойынша жаңа ${kind} № ${motion.number}.` : `e-Zal: по делу № ${caseNumber} подано: ${kind} № ${motion.number}.`;
    const common = { kind: 'motion.filed' as const, locale: person.locale, hearingId: null, summonsId: null };
    if (person.email) notices.push({ ...common, channel: 'email', recipient: person.email, subject, body });
    if (person.phone) notices.push({ ...common, channel: 'sms', recipient: person.phone, subject: null, body: sms });
  }
  return notices;
}
