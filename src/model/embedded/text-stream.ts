// Generated tokens → text pieces the way llama-server streams them: whole UTF-8 characters, stop strings cut out.

/** Detokenizes `tokens`, given the tokens before them (SentencePiece drops a leading space without that context). */
export type Detokenize<T extends number> = (tokens: readonly T[], before: readonly T[]) => string;

/** A byte-fallback character spans at most 4 tokens; past that the replacement character is real output. */
const MAX_PENDING_TOKENS = 4;
/** Context handed to the detokenizer; a couple of tokens settle the leading-space question. */
const CONTEXT_TOKENS = 4;

/**
 * Turns tokens into text pieces, holding back tokens that end inside a multi-byte character
 * (they detokenize to U+FFFD) until the character is complete.
 */
export class TokenText<T extends number = number> {
  private pending: T[] = [];
  private context: T[];

  constructor(
    private readonly detokenize: Detokenize<T>,
    promptTail: readonly T[],
  ) {
    this.context = promptTail.slice(-CONTEXT_TOKENS);
  }

  /** Text completed by this token, or undefined while a character is still incomplete. */
  push(token: T): string | undefined {
    this.pending.push(token);
    const text = this.detokenize(this.pending, this.context);
    if (text.endsWith('\uFFFD') && this.pending.length < MAX_PENDING_TOKENS) return undefined;
    this.context = [...this.context, ...this.pending].slice(-CONTEXT_TOKENS);
    this.pending = [];
    return text;
  }

  /** Whatever is still held when generation ends (an incomplete character comes out as U+FFFD). */
  flush(): string {
    if (this.pending.length === 0) return '';
    const text = this.detokenize(this.pending, this.context);
    this.pending = [];
    return text;
  }
}

/** What one piece of text amounts to once stop strings are accounted for. */
export interface StopScan {
  /** Text that can go out now. */
  emit: string;
  /** The stop string that matched; generation ends and the string itself is never emitted. */
  stoppedBy?: string;
}

/**
 * Finds stop strings across piece boundaries. Text that could be the start of a stop string is held back until
 * it is decided, so the concatenated `emit`s are exactly the output llama-server would return.
 */
export class StopScanner {
  private held = '';
  private readonly stops: string[];

  constructor(stops: readonly string[] | undefined) {
    this.stops = (stops ?? []).filter((stop) => stop.length > 0);
  }

  push(piece: string): StopScan {
    const text = this.held + piece;
    this.held = '';
    let at = -1;
    let stoppedBy: string | undefined;
    for (const stop of this.stops) {
      const index = text.indexOf(stop);
      if (index !== -1 && (at === -1 || index < at)) {
        at = index;
        stoppedBy = stop;
      }
    }
    if (stoppedBy !== undefined) return { emit: text.slice(0, at), stoppedBy };
    const keep = this.partialStopLength(text);
    this.held = text.slice(text.length - keep);
    return { emit: text.slice(0, text.length - keep) };
  }

  /** Text held back when generation ends without a stop string: it was output after all. */
  flush(): string {
    const text = this.held;
    this.held = '';
    return text;
  }

  /** Length of the longest end of `text` that is a proper prefix of a stop string. */
  private partialStopLength(text: string): number {
    let longest = 0;
    for (const stop of this.stops) {
      for (let length = Math.min(stop.length - 1, text.length); length > longest; length--) {
        if (text.endsWith(stop.slice(0, length))) {
          longest = length;
          break;
        }
      }
    }
    return longest;
  }
}
