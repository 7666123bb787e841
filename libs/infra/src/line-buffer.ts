import type { Readable } from 'node:stream';

/** Keeps the last `capacity` lines written by a child process, for error messages. */
export class LineBuffer {
  private readonly lines: string[] = [];

  constructor(private readonly capacity = 40) {}

  push(text: string): void {
    for (const line of text.split(/\r?\n/)) {
      if (line.trim() === '') continue;
      this.lines.push(line);
      if (this.lines.length > this.capacity) this.lines.shift();
    }
  }

  follow(stream: Readable | null): void {
    stream?.on('data', (chunk: Buffer) => this.push(chunk.toString('utf8')));
  }

  tail(count = 20): string {
    return this.lines.slice(-count).join('\n');
  }
}
