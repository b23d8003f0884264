/**
 * Recording time: where in the recording a moment of the hearing is. The recording runs only
 * while it is recording — not before it starts, not while paused (a break, the deliberation room)
 * and not after it stops — so recording time is wall time minus the start, minus every span it was
 * not recording. A moment outside recording has no recording time (null).
 *
 * Pure, and it takes the events by their type names as strings, so it works with the recording
 * events (recording.started/paused/resumed/stopped) without importing their types.
 */

/** A stretch of wall time during which the hearing was recorded; `to` null while still recording. */
export type RecordingSpan = { from: number; to: number | null };

/** The log's events that open and close recorded spans. */
export const RECORDING_SPAN_EVENTS = ['recording.started', 'recording.resumed', 'recording.paused', 'recording.stopped'] as const;
const OPENS = new Set(['recording.started', 'recording.resumed']);
const CLOSES = new Set(['recording.paused', 'recording.stopped']);

/** The recorded spans, from the log's recording events in version order. Repeated opens or closes change nothing. */
export function recordingSpans(events: readonly { type: string; at: number }[]): RecordingSpan[] {
  const spans: RecordingSpan[] = [];
  for (const event of events) {
    const open = spans.length > 0 && spans[spans.length - 1].to === null;
    if (OPENS.has(event.type) && !open) spans.push({ from: event.at, to: null });
    else if (CLOSES.has(event.type) && open) spans[spans.length - 1].to = event.at;
  }
  return spans;
}

/** Milliseconds into the recording at wall time `at`, or null when nothing was being recorded then. */
export function recordingTimeAt(spans: readonly RecordingSpan[], at: number): number | null {
  let before = 0;
  for (const span of spans) {
    if (at < span.from) return null;
    const end = span.to ?? Number.POSITIVE_INFINITY;
    if (at <= end) return before + (at - span.from);
    before += end - span.from;
  }
  return null;
}

/** Milliseconds into the recording at `at`, or, for a moment not recorded (a break), at the next recorded moment; null past the end. */
export function recordingTimeFrom(spans: readonly RecordingSpan[], at: number): number | null {
  const exact = recordingTimeAt(spans, at);
  if (exact !== null) return exact;
  const next = spans.find((span) => span.from > at);
  return next ? recordingTimeAt(spans, next.from) : null;
}

/** The wall time at `ms` into the recording (the inverse of `recordingTimeAt`); past the end, the end. */
export function wallTimeAt(spans: readonly RecordingSpan[], ms: number): number | null {
  let before = 0;
  for (const span of spans) {
    const length = span.to === null ? Number.POSITIVE_INFINITY : span.to - span.from;
    if (ms <= before + length) return span.from + Math.max(0, ms - before);
    before += length;
  }
  const last = spans.at(-1);
  return last ? (last.to ?? last.from) : null;
}

/** "1:02:03" (or "02:03" under an hour) for a recording time in milliseconds. */
export function formatRecordingTime(ms: number): string {
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
}
