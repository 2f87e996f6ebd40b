// A person's note and tags on a session: the rules they must meet and how a change applies to what is there.

import { stripControl } from '../text/sanitize.js';
import { UserError } from './errors.js';

/** A session's note and tags as they stand (the last `annotated` event; none yet = empty). */
export interface Annotation {
  /** '' = no note. */
  note: string;
  tags: string[];
}

/** One change a person asks for: a new note (or '' to clear it), tags to add, tags to remove. */
export interface AnnotationChange {
  note?: string;
  add?: string[];
  remove?: string[];
}

/** Lower-case letters, digits, `.`, `_`, `-`; starts with a letter or digit; 1 to 32 characters. */
export const TAG_PATTERN = /^[a-z0-9][a-z0-9._-]{0,31}$/;
export const TAG_RULE = '1-32 of a-z 0-9 . _ -, starting with a letter or digit';
export const MAX_TAGS = 16;
export const MAX_NOTE_CHARS = 2000;

export const NO_ANNOTATION: Annotation = { note: '', tags: [] };

/** A tag as typed, lower-cased and checked; a one-line UserError names it and the rule. */
export function checkTag(typed: string): string {
  const tag = typed.toLowerCase();
  if (!TAG_PATTERN.test(tag)) {
    throw new UserError(`tag "${oneLineQuote(typed)}" is not a tag: ${TAG_RULE}`, 'bad_tag');
  }
  return tag;
}

/** A note as typed: control sequences stripped, surrounding blank space trimmed, at most MAX_NOTE_CHARS. */
export function checkNote(typed: string): string {
  const note = stripControl(typed).trim();
  if (note.length > MAX_NOTE_CHARS) {
    throw new UserError(`the note is ${note.length} characters: at most ${MAX_NOTE_CHARS} are kept per session`, 'note_too_long');
  }
  return note;
}

/** The annotation after `change`: removals first, then additions (new ones at the end), then the note. */
export function applyChange(current: Annotation, change: AnnotationChange): Annotation {
  const remove = new Set((change.remove ?? []).map(checkTag));
  const tags = current.tags.filter((t) => !remove.has(t));
  for (const tag of (change.add ?? []).map(checkTag)) if (!tags.includes(tag)) tags.push(tag);
  if (tags.length > MAX_TAGS) {
    throw new UserError(`a session keeps at most ${MAX_TAGS} tags (this would make ${tags.length}): remove some first`, 'too_many_tags');
  }
  return { note: change.note === undefined ? current.note : checkNote(change.note), tags };
}

export function sameAnnotation(a: Annotation, b: Annotation): boolean {
  return a.note === b.note && a.tags.length === b.tags.length && a.tags.every((t, i) => t === b.tags[i]);
}

/** Tags as people type them in filters and read them in listings: `#flaky #baseline` ('' for none). */
export function hashTags(tags: readonly string[] = []): string {
  return tags.map((t) => `#${t}`).join(' ');
}

/** The note for a listing: its first line, cut with … to `width` characters (and marked … when more lines follow). */
export function noteLine(note: string, width = 80): string {
  const [first, ...rest] = stripControl(note).split('\n');
  const line = first.replace(/\s+/g, ' ').trim();
  const shown = rest.some((l) => l.trim() !== '') ? `${line} …` : line;
  return shown.length > width ? `${shown.slice(0, Math.max(0, width - 1))}…` : shown;
}

function oneLineQuote(text: string): string {
  const safe = stripControl(text).replace(/\s+/g, ' ');
  return safe.length > 40 ? `${safe.slice(0, 39)}…` : safe;
}
