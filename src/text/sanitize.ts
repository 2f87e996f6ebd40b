// Untrusted text (model output, test output, file content) made safe for a terminal and for blessed markup.

// CSI, OSC (BEL or ST terminated), DCS/PM/APC strings, two-char ESC sequences, then any other C0/C1 control.
const CONTROL_SEQUENCES =
  /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[PX^_][^\x1b]*(?:\x1b\\)?|\x1b[@-Z\\-_]|[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/** Remove terminal control sequences and control characters; keeps newlines and tabs. */
export function stripControl(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(CONTROL_SEQUENCES, '');
}

/** Escape blessed tags so `{bold}` in model output shows literally. */
export function escapeTags(text: string): string {
  return text.replace(/[{}]/g, (c) => (c === '{' ? '{open}' : '{close}'));
}

/** Both: what every pane does to text it did not write itself. */
export function safeText(text: string): string {
  return escapeTags(stripControl(text));
}
