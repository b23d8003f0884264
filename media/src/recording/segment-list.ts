/**
 * Reads the lines ffmpeg's segment muxer appends to its CSV list (`file,start,end` per closed
 * segment, times in seconds of the stream), remembering how far it got so each line is seen once.
 * A half-written last line is left for the next read.
 */
import { open } from 'node:fs/promises';

export type ListedSegment = { file: string; start: number; end: number };

export class SegmentListReader {
  #file: string;
  #offset = 0;
  #partial = '';

  constructor(file: string) {
    this.#file = file;
  }

  async readNew(): Promise<ListedSegment[]> {
    let handle;
    try {
      handle = await open(this.#file, 'r');
    } catch {
      return []; // ffmpeg has not closed its first segment yet
    }
    try {
      const { size } = await handle.stat();
      if (size <= this.#offset) return [];
      const buffer = Buffer.alloc(size - this.#offset);
      await handle.read(buffer, 0, buffer.length, this.#offset);
      this.#offset = size;
      const text = this.#partial + buffer.toString('utf8');
      const lines = text.split('\n');
      this.#partial = lines.pop() ?? '';
      return lines.filter((line) => line.trim() !== '').map(parseLine);
    } finally {
      await handle.close();
    }
  }
}

function parseLine(line: string): ListedSegment {
  // The file name comes first and is ours (no commas), so splitting from the right is safe.
  const parts = line.trim().split(',');
  const end = Number(parts.pop());
  const start = Number(parts.pop());
  return { file: parts.join(','), start, end };
}
