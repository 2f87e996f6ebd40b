// slotbench's end of the judge's control channel: the same length-prefixed JSON frames as the harness's wire.py.

/** One frame: a 4-byte big-endian length, then the message as JSON. */
export function frame(message: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  const header = Buffer.alloc(4);
  header.writeUInt32BE(body.length);
  return Buffer.concat([header, body]);
}

/** Collects frames from a stream's chunks; anything malformed or over `maxBytes` ends it (the reader goes deaf). */
export class FrameReader {
  private pending = Buffer.alloc(0);
  private broken = false;
  readonly messages: unknown[] = [];

  constructor(private readonly maxBytes: number) {}

  push(chunk: Buffer): void {
    if (this.broken) return;
    this.pending = Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= 4) {
      const size = this.pending.readUInt32BE(0);
      if (size > this.maxBytes) {
        this.broken = true;
        return;
      }
      if (this.pending.length < 4 + size) return;
      const body = this.pending.subarray(4, 4 + size).toString('utf8');
      this.pending = this.pending.subarray(4 + size);
      try {
        this.messages.push(JSON.parse(body));
      } catch {
        this.broken = true;
        return;
      }
    }
  }
}
