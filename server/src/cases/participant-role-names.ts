/**
 * What each procedural status is called in Kazakh and Russian documents of the court (summonses,
 * the short protocol). A document may word one status its own way, e.g. the protocol names the
 * prosecutor by office rather than as «государственный обвинитель».
 */
import type { ParticipantRole } from '../../../db/schema.ts';

export const PARTICIPANT_ROLE_NAMES: Record<'kk' | 'ru', Record<ParticipantRole, string>> = {
  kk: {
    defendant: 'сотталушы',
    victim: 'жәбірленуші',
    victim_representative: 'жәбірленушінің өкілі',
    civil_plaintiff: 'азаматтық талапкер',
    civil_defendant: 'азаматтық жауапкер',
    legal_representative: 'заңды өкіл',
    witness: 'куә',
    expert: 'сарапшы',
    specialist: 'маман',
    interpreter: 'аудармашы',
    prosecutor: 'мемлекеттік айыптаушы',
    defender: 'қорғаушы',
  },
  ru: {
    defendant: 'подсудимый',
    victim: 'потерпевший',
    victim_representative: 'представитель потерпевшего',
    civil_plaintiff: 'гражданский истец',
    civil_defendant: 'гражданский ответчик',
    legal_representative: 'законный представитель',
    witness: 'свидетель',
    expert: 'эксперт',
    specialist: 'специалист',
    interpreter: 'переводчик',
    prosecutor: 'государственный обвинитель',
    defender: 'защитник',
  },
};
