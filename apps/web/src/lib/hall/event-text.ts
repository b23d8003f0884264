/**
 * One line of the hearing's log in the reader's language: what happened, with the names, stages
 * and sheets it concerns. Used by the secretary's log (the raw material of the short protocol).
 * Pure: it gets the translation functions and the hearing's participants, so it is tested without
 * a browser.
 */
import type { MessageKey } from '../i18n/en.ts';
import type { Presenter, ShownSheets } from '$server/shared/hearing/floor/floor.ts';
import type { HearingMotion } from '$server/shared/hearing/motions/motions.ts';
import type { HearingEvent, HearingParticipant } from '$server/shared/hearing/state.ts';

export type Texts = {
  t(key: MessageKey, params?: Record<string, string | number>): string;
  /** A calendar date (YYYY-MM-DD) as the language writes it. */
  day(value: string): string;
  /** A time of day (court time) of an instant in UTC milliseconds. */
  time(value: Date): string;
};

export function presenterName(texts: Texts, presenter: Pick<Presenter, 'role' | 'fullName'>): string {
  return texts.t('hall.who', { role: texts.t(`role.${presenter.role}`), name: presenter.fullName });
}

/** "vol. 2, sh. 5, 7; vol. 1, sh. 6" */
export function sheetsText(texts: Texts, shown: ShownSheets[]): string {
  return shown.map((s) => texts.t('hall.sheets_of_volume', { volume: s.volume, sheets: s.sheets.join(', ') })).join('; ');
}

export function eventText(texts: Texts, event: HearingEvent, participants: readonly HearingParticipant[], motions: readonly HearingMotion[] = []): string {
  // Called as a method: i18n's `t` reads the language from its instance.
  const t: Texts['t'] = (key, params) => texts.t(key, params);
  const motionNumber = (id: string) => motions.find((m) => m.id === id)?.number ?? '?';
  switch (event.type) {
    case 'hearing.opened':
      return t('hall_event.opened');
    case 'stage.changed':
      return t('hall_event.stage_changed', { stage: t(`stage.${event.payload.to}`) });
    case 'break.started': {
      const { until, reason } = event.payload;
      const head = until === null ? t('hall_event.break_started') : t('hall_event.break_until', { time: texts.time(new Date(until)) });
      return reason ? `${head} — ${reason}` : head;
    }
    case 'break.ended':
      return t('hall_event.break_ended');
    case 'hearing.adjourned': {
      const text = t('hall_event.adjourned', { reason: event.payload.reason });
      return event.payload.nextDate ? `${text} ${t('hall_event.next_date', { date: texts.day(event.payload.nextDate) })}` : text;
    }
    case 'hearing.suspended':
      return t('hall_event.suspended', { reason: event.payload.reason });
    case 'hearing.ended':
      return t('hall_event.ended');
    case 'attendance.recorded': {
      const participant = participants.find((p) => p.id === event.payload.participantId);
      const who = participant ? t('hall.who', { role: t(`participant.${participant.role}`), name: participant.fullName }) : '—';
      return t('hall_event.attendance', { who, attendance: t(`attendance.${event.payload.attendance}`) });
    }
    case 'mark.added':
      return event.payload.text;
    case 'identity.established': {
      const { role, fullName, document } = event.payload;
      const who = t('hall.who', { role: t(`participant.${role}`), name: fullName });
      return document ? t('hall_event.identity_established_document', { who, document }) : t('hall_event.identity_established', { who });
    }
    case 'rights.explained':
      return t('hall_event.rights_explained', { who: t('hall.who', { role: t(`participant.${event.payload.role}`), name: event.payload.fullName }) });
    case 'floor.given':
      return t('hall_event.floor_given', { who: presenterName(texts, event.payload.presenter) });
    case 'position.shown':
      return t('hall_event.shown', { volume: event.payload.position.volume, sheet: event.payload.position.sheet });
    case 'presentation.ended': {
      const who = presenterName(texts, event.payload.presenter);
      const { shown } = event.payload;
      return shown.length === 0 ? t('hall_event.presentation_ended_nothing', { who }) : t('hall_event.presentation_ended', { who, sheets: sheetsText(texts, shown) });
    }
    case 'remote.invited':
      return t('hall_event.remote_invited', { who: event.payload.fullName });
    case 'remote.arrived':
    case 'remote.admitted':
    case 'remote.refused':
    case 'remote.sent_to_lobby':
    case 'remote.left': {
      const who = participants.find((p) => p.id === event.payload.participantId)?.fullName ?? '';
      return t(`hall_event.${event.type.replace('.', '_') as 'remote_arrived'}`, { who });
    }
    case 'remote.disconnected': {
      const who = participants.find((p) => p.id === event.payload.participantId)?.fullName ?? '';
      return t(event.payload.reason === 'server_restarted' ? 'hall_event.remote_disconnected_restart' : 'hall_event.remote_disconnected', { who });
    }
    case 'remote.self_tested': {
      const who = participants.find((p) => p.id === event.payload.participantId)?.fullName ?? '';
      return t('hall_event.remote_self_tested', { who, verdict: t(`self_test.short.${event.payload.verdict}`) });
    }
    case 'media.muted':
      return t(event.payload.muted ? 'hall_event.muted' : 'hall_event.unmuted', { who: event.payload.target.fullName });
    case 'motion.filed': {
      const { motion } = event.payload;
      const who = t('hall.who', { role: t(`participant.${motion.filer.role}`), name: motion.filer.fullName });
      return t('hall_event.motion_filed', { who, kind: t(`motions.kind.${motion.kind}`), number: motion.number });
    }
    case 'motion.taken_up': {
      const { motion } = event.payload;
      const who = t('hall.who', { role: t(`participant.${motion.filer.role}`), name: motion.filer.fullName });
      return t('hall_event.motion_taken_up', { who, kind: t(`motions.kind.${motion.kind}`), number: motion.number });
    }
    case 'motion.position_stated': {
      const { payload } = event;
      const who = t('hall.who', { role: t(`participant.${payload.role}`), name: payload.fullName });
      const position = t(`motions.position.${payload.position}`);
      return t('hall_event.motion_position', { who, number: motionNumber(event.payload.motionId), position: payload.text ? `${position} — ${payload.text}` : position });
    }
    case 'motion.ruled':
      return t('hall_event.motion_ruled', { number: motionNumber(event.payload.motionId), ruling: t(`motions.status.${event.payload.ruling}`), reasons: event.payload.reasons });
    case 'protocol.note_added':
      return t('hall_event.protocol_note', { text: event.payload.text });
    case 'protocol.note_edited':
      return t('hall_event.protocol_note_edited', { text: event.payload.text });
    case 'protocol.signed':
      return t(event.payload.signature.by === 'secretary' ? 'hall_event.protocol_signed_secretary' : 'hall_event.protocol_signed_judge');
    case 'recording.started':
      return t('hall_event.recording_started');
    case 'recording.paused':
      return event.payload.reason === 'manual' ? t('hall_event.recording_paused') : t(`hall_event.recording_paused_${event.payload.reason}`);
    case 'recording.resumed':
      return t('hall_event.recording_resumed');
    case 'recording.stopped':
      return t('hall_event.recording_stopped');
    case 'recording.sources_changed':
      return t('hall_event.recording_sources', { count: event.payload.sources });
    case 'recording.gap_started':
      return t('hall_event.recording_gap_started', { label: event.payload.label });
    case 'recording.gap_ended': {
      const { label, from, to } = event.payload;
      return t('hall_event.recording_gap_ended', { label, from: texts.time(new Date(from)), to: texts.time(new Date(to)) });
    }
    case 'recording.chain_heads':
      return t('hall_event.recording_chain');
    case 'interpreter.appointed': {
      const { fullName, forFullName, languages, mode } = event.payload;
      return t('hall_event.interpreter_appointed', { interpreter: fullName, name: forFullName, from: languages.from, to: languages.to, mode: t(`interpreter.mode.${mode}`) });
    }
    case 'interpreter.released':
      return t('hall_event.interpreter_released', { interpreter: event.payload.fullName });
    // Who and when only: a consultation's content never reaches the log.
    case 'consultation.requested':
    case 'consultation.opened':
      return t(`hall_event.${event.type === 'consultation.opened' ? 'consultation_opened' : 'consultation_requested'}`, { names: event.payload.members.map((m) => m.fullName).join(', ') });
    case 'consultation.closed':
      return t('hall_event.consultation_closed');
  }
}
