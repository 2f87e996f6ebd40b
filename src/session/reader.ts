// Reads a session JSONL back (read-only, streaming): migrates old formats, refuses newer ones, survives damage.

import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { UserError } from '../core/errors.js';
import { SESSION_FORMAT_VERSION, type EventType, type SessionStartedEvent, type SlotbenchEvent } from '../core/events.js';
import { formatVersionOf, isHeaderLine, migrationNote, migrator, type RawEvent } from './migrate.js';

/** A session as read from disk. */
export interface LoadedSession {
  path: string;
  /** The first event, in the current format. */
  header: SessionStartedEvent;
  /** Every readable event, header first, in the current format. */
  events: SlotbenchEvent[];
  /** One line per thing a person should know: damaged lines skipped, a lost last line, a migration. */
  warnings: string[];
  /** The format the file was written in. */
  formatVersion: number;
}

// Every variant of the union, so a line naming anything else is reported instead of reaching the reducer. A type a
// newer slotbench added within the same format (as `annotated` was) is skipped with a warning: the run still reads.
const EVENT_TYPES: Record<EventType, true> = {
  session_started: true, flow_started: true, slot_stopped: true, slot_started: true, prompt_built: true, token: true,
  slot_output: true, slot_error: true, code_extracted: true, parse_failed: true, repair: true, code_applied: true,
  test_started: true, test_run: true, slot_result: true, branch: true, settings_changed: true, note: true,
  flow_finished: true, annotated: true,
};

/** Damaged lines reported one by one; past this, one summary line. */
const MAX_LINE_WARNINGS = 10;
/** A header is a few KB; a first line longer than this is not one (and may be a huge binary file). */
const MAX_HEADER_BYTES = 4 * 1024 * 1024;
const CHUNK_BYTES = 1024 * 1024;

/** Read a whole session. Throws a one-line UserError when the file cannot be read or is not a readable session. */
export async function readSession(path: string): Promise<LoadedSession> {
  const events: SlotbenchEvent[] = [];
  const damaged: string[] = [];
  let header: SessionStartedEvent | undefined;
  let version = SESSION_FORMAT_VERSION;
  let lift: (event: RawEvent) => RawEvent = (e) => e;

  const { lastLine } = await streamLines(path, (line, lineNo) => {
    if (header === undefined) {
      ({ header, version } = acceptHeader(path, line));
      lift = migrator(version);
      events.push(header);
      return;
    }
    if (line.trim() === '') return;
    const event = parseEvent(line, lift);
    if (typeof event === 'string') damaged.push(`${path} line ${lineNo}: ${event}; skipped`);
    else events.push(event);
  });

  const warnings = damaged.slice(0, MAX_LINE_WARNINGS);
  if (damaged.length > MAX_LINE_WARNINGS) warnings.push(`${path}: ${damaged.length - MAX_LINE_WARNINGS} more damaged lines skipped`);
  if (lastLine !== undefined) {
    if (header === undefined) {
      ({ header, version } = acceptHeader(path, lastLine));
      events.push(header);
    } else {
      const event = parseEvent(lastLine, lift);
      if (typeof event !== 'string') events.push(event);
      else warnings.push(`${path}: last line is incomplete (crash mid-write?); loaded ${events.length} events`);
    }
  }
  if (header === undefined) throw new UserError(`${path} is empty: not a slotbench session`, 'not_a_session');
  const note = migrationNote(version);
  if (note) warnings.unshift(`${path}: ${note}`);
  return { path, header, events, warnings, formatVersion: version };
}

/** Only the header of a session (for listings): reads the first line and stops. */
export async function readSessionHeader(path: string): Promise<SessionStartedEvent> {
  let header: SessionStartedEvent | undefined;
  const stop = new Error('header read');
  try {
    const { lastLine } = await streamLines(path, (line) => {
      header = acceptHeader(path, line).header;
      throw stop;
    });
    if (lastLine !== undefined) header = acceptHeader(path, lastLine).header;
  } catch (error) {
    if (error !== stop) throw error;
  }
  if (header === undefined) throw new UserError(`${path} is empty: not a slotbench session`, 'not_a_session');
  return header;
}

/** Parse one line into a current-format event, or say (as a string) why it cannot be one. */
function parseEvent(line: string, lift: (event: RawEvent) => RawEvent): SlotbenchEvent | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'not valid JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const event = lift(value as RawEvent);
  if (typeof event.type !== 'string') return 'no event type';
  if (!(event.type in EVENT_TYPES)) return `unknown event type "${event.type.slice(0, 40)}"`;
  if (typeof event.t !== 'number') return `${event.type} event without a time "t"`;
  return event as unknown as SlotbenchEvent;
}

function acceptHeader(path: string, line: string): { header: SessionStartedEvent; version: number } {
  const notSession = new UserError(`${path} is not a slotbench session (first line is not a session header)`, 'not_a_session');
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw notSession;
  }
  if (!isHeaderLine(value)) throw notSession;
  const version = formatVersionOf(value);
  if (version > SESSION_FORMAT_VERSION) {
    throw new UserError(
      `session ${path} was written by a newer slotbench (format ${version} > ${SESSION_FORMAT_VERSION}): upgrade slotbench to read it`,
      'newer_format',
    );
  }
  const header = migrator(version)(value) as unknown as SessionStartedEvent;
  const missing = headerProblem(header);
  if (missing) throw new UserError(`${path}: the session header ${missing}: the file is damaged`, 'bad_header');
  return { header, version };
}

function headerProblem(header: SessionStartedEvent): string | undefined {
  if (typeof header.sessionId !== 'string') return 'has no "sessionId"';
  if (typeof header.flow !== 'string') return 'has no "flow"';
  if (typeof header.task?.id !== 'string') return 'has no "task.id"';
  if (typeof header.model?.name !== 'string') return 'has no "model.name"';
  if (typeof header.sampling !== 'object' || header.sampling === null) return 'has no "sampling"';
  if (typeof header.t !== 'number') return 'has no time "t"';
  return undefined;
}

/**
 * Feed each complete line (without its newline) to `onLine`, decoding UTF-8 across chunk boundaries.
 * A last line without a newline is returned instead, so the caller decides whether it is whole.
 */
async function streamLines(path: string, onLine: (line: string, lineNo: number) => void): Promise<{ lastLine?: string }> {
  const stream = createReadStream(path, { flags: 'r', highWaterMark: CHUNK_BYTES });
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let lineNo = 0;
  let first = true;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (first && chunk.subarray(0, 8192).includes(0)) {
        throw new UserError(`${path} is not a slotbench session (it is a binary file)`, 'not_a_session');
      }
      first = false;
      const text = rest + decoder.write(chunk);
      let start = 0;
      for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
        onLine(text.slice(start, end), ++lineNo);
        start = end + 1;
      }
      rest = start === 0 ? text : text.slice(start);
      if (lineNo === 0 && rest.length > MAX_HEADER_BYTES) {
        throw new UserError(`${path} is not a slotbench session (first line is not a session header)`, 'not_a_session');
      }
    }
  } catch (error) {
    if (error instanceof UserError || !(error as NodeJS.ErrnoException).code) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code;
    throw new UserError(`cannot read session ${path}: ${why}`, 'unreadable');
  } finally {
    stream.destroy();
  }
  rest += decoder.end();
  return rest === '' ? {} : { lastLine: rest };
}
