// Keeps the end of a test's output stream: enough to show why it failed, bounded however much it writes.

/** Keeps the last `cap` bytes of what is pushed and counts what was dropped before them. */
export class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  private dropped = 0;

  constructor(private readonly cap: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.chunks.length > 1 && this.size - this.chunks[0].length >= this.cap) {
      const first = this.chunks.shift()!;
      this.size -= first.length;
      this.dropped += first.length;
    }
  }

  text(): string {
    const all = Buffer.concat(this.chunks);
    const cut = Math.max(0, all.length - this.cap);
    const tail = all.subarray(cut).toString('utf8');
    const dropped = this.dropped + cut;
    return dropped > 0 ? `[… ${dropped} bytes cut]\n${tail}` : tail;
  }
}
