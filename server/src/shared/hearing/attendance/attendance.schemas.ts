/** Attendance, marks, identities and rights: the socket commands' payloads, and the commands they become. */
import { Type } from 'typebox';
import { plainText } from '../../plain-text.ts';
import { command, Id, Text, type ToCommand } from '../payload.ts';
import { ATTENDANCE, type AttendanceCommand } from './attendance.ts';

export const attendancePayloads = {
  'attendance:record': command({ participantId: Id, attendance: Type.Enum(ATTENDANCE) }),
  'mark:add': command({ text: Text(2000) }),
  /** `document`: how identity was established, plain text ("удостоверение личности № …"). */
  'participant:identify': command({ participantId: Id, document: Type.Optional(Type.Union([Text(200), Type.Null()])) }),
  'participant:explain-rights': command({ participantId: Id }),
};

export const attendanceToCommand: ToCommand<typeof attendancePayloads, AttendanceCommand> = {
  'attendance:record': (p) => ({ type: 'record_attendance', participantId: p.participantId, attendance: p.attendance }),
  'mark:add': (p) => ({ type: 'add_mark', text: p.text.trim() }),
  'participant:identify': (p) => ({ type: 'establish_identity', participantId: p.participantId, document: p.document ? plainText(p.document) : null }),
  'participant:explain-rights': (p) => ({ type: 'explain_rights', participantId: p.participantId }),
};
