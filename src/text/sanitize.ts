// Untrusted text (model output, test output, file content) made safe for a terminal and for blessed markup.

// CSI, OSC (BEL or ST terminated), DCS/PM/APC strings, two-char ESC sequences, then any other C0/C1 control.
const CONTROL_SEQUENCES =
  /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[PX^_][^\x1b]*(?:\x1b\\)?|\x1b[@-Z\\-_]|[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

// Bidirectional controls (embeddings, overrides, isolates, marks): U+202E alone makes `txt.exe` read as `exe.txt`.
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;

/** Remove terminal control sequences, control characters and bidi controls; keeps newlines and tabs. */
export function stripControl(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(CONTROL_SEQUENCES, '').replace(BIDI_CONTROLS, '');
}

/** Untrusted text as one terminal line: stripped, and any line break or tab run folded into a space. */
export function oneSafeLine(text: string): string {
  return stripControl(text).replace(/\s*\n\s*|\t+/g, ' ');
}

// JSON.stringify escapes the C0 controls only: DEL, the C1 controls (0x9B is a one-byte CSI), bidi controls and the
// line/paragraph separators would reach a terminal raw.
const JSON_UNSAFE = /[\u007f-\u009f\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\u2028\u2029]/g;

/** JSON that is safe to print: the same value (JSON.parse gives it back), those characters written as \uXXXX. */
export function safeJson(value: unknown): string {
  return JSON.stringify(value).replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Escape blessed tags so `{bold}` in model output shows literally. */
export function escapeTags(text: string): string {
  return text.replace(/[{}]/g, (c) => (c === '{' ? '{open}' : '{close}'));
}
