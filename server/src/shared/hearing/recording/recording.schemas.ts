/** The recording's socket commands: their payloads, and the commands they become. */
import { command, type ToCommand } from '../payload.ts';
import type { RecordingCommand } from './recording.ts';

export const recordingPayloads = {
  'recording:start': command({}),
  'recording:pause': command({}),
  'recording:resume': command({}),
  'recording:stop': command({}),
};

export const recordingToCommand: ToCommand<typeof recordingPayloads, RecordingCommand> = {
  'recording:start': () => ({ type: 'start_recording' }),
  'recording:pause': () => ({ type: 'pause_recording' }),
  'recording:resume': () => ({ type: 'resume_recording' }),
  'recording:stop': () => ({ type: 'stop_recording' }),
};
