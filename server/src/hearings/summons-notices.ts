/**
 * Turns "tell these participants this about that hearing" into outbox messages: one per contact
 * (an e-mail to the address, an SMS to the phone), each in the participant's language. A
 * participant without contacts gets none; the case page shows that plainly.
 */
import type { HearingNoticeKind } from '../../../db/schema.ts';
import type { NewNotice } from '../notifications/outbox.repository.ts';
import { renderNotice } from '../notifications/summons-text.ts';
import type { CaseFacts } from './scheduling.repository.ts';
import type { HallRecord, ParticipantContact } from '../shared/api/scheduling.ts';
import { noticeLocale } from './scheduling.rules.ts';

export type NoticeRequest = {
  kase: CaseFacts;
  hall: HallRecord;
  hearing: { id: string; scheduledAt: Date; closed: boolean };
  /** The time before a move, for "previously scheduled at". */
  previousStart?: Date;
  /** The reason of a cancellation. */
  reason?: string | null;
  /** Who is told what, with the summons each notice belongs to. */
  recipients: { person: ParticipantContact; kind: HearingNoticeKind; summonsId: string }[];
};

export function composeNotices(request: NoticeRequest): NewNotice[] {
  const { kase, hall, hearing } = request;
  const notices: NewNotice[] = [];
  for (const { person, kind, summonsId } of request.recipients) {
    const locale = noticeLocale(person.language, person.accountLocale, kase.language);
    const text = renderNotice({
      kind,
      locale,
      fullName: person.fullName,
      role: person.role,
      caseNumber: kase.caseNumber,
      court: kase.court,
      hall: { name: hall.name, address: hall.address },
      start: hearing.scheduledAt,
      previousStart: request.previousStart,
      timeZone: kase.court.timeZone,
      closed: hearing.closed,
      reason: request.reason,
    });
    const common = { kind, locale, hearingId: hearing.id, summonsId };
    if (person.email) notices.push({ ...common, channel: 'email', recipient: person.email, subject: text.subject, body: text.body });
    if (person.phone) notices.push({ ...common, channel: 'sms', recipient: person.phone, subject: null, body: text.sms });
  }
  return notices;
}
