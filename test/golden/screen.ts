// A Frame drawn as plain text the way the terminal shows it (borders, labels, overlays), for golden files.

import type { BoxContent, Frame } from '../../src/ui/frame.js';
import type { Rect } from '../../src/ui/layout.js';
import { PANES } from '../../src/state/ui-state.js';

/** blessed tags removed, {open}/{close} turned back into braces: what the person reads. */
export function untag(line: string): string {
  return line.replace(/\{(\/?)([\w\-,;!#]*)\}/g, (_m, slash: string, name: string) => {
    if (!slash && name === 'open') return '{';
    if (!slash && name === 'close') return '}';
    return '';
  });
}

export function screenText(frame: Frame, cols: number, rows: number): string {
  const grid: string[][] = Array.from({ length: rows }, () => new Array<string>(cols).fill(' '));
  const put = (row: number, col: number, text: string) => {
    [...text].forEach((ch, i) => {
      if (row >= 0 && row < rows && col + i >= 0 && col + i < cols) grid[row][col + i] = ch;
    });
  };
  const box = (rect: Rect, content: BoxContent | string[] | undefined, bordered: boolean) => {
    if (!content) return;
    const lines = Array.isArray(content) ? content : content.content;
    const inset = bordered ? 1 : 0;
    for (let r = 0; r < rect.height; r++) put(rect.top + r, rect.left, ' '.repeat(rect.width));
    if (bordered) {
      put(rect.top, rect.left, `┌${'─'.repeat(rect.width - 2)}┐`);
      for (let r = 1; r < rect.height - 1; r++) {
        put(rect.top + r, rect.left, '│');
        put(rect.top + r, rect.left + rect.width - 1, '│');
      }
      put(rect.top + rect.height - 1, rect.left, `└${'─'.repeat(rect.width - 2)}┘`);
      if (!Array.isArray(content) && content.label) put(rect.top, rect.left + 1, untag(content.label));
    }
    lines.slice(0, rect.height - 2 * inset).forEach((line, r) => put(rect.top + inset + r, rect.left + inset, untag(line).slice(0, rect.width - 2 * inset)));
  };
  const { layout } = frame;
  if (frame.tooSmall) box({ left: 0, top: 0, width: cols, height: rows }, frame.tooSmall, true);
  for (const pane of PANES) box(layout.panes[pane], frame.panes?.[pane], true);
  box(layout.main, frame.welcome, true);
  box(layout.status, frame.status, false);
  box(layout.overlay, frame.overlay, true);
  box(layout.dialog, frame.dialog, true);
  return grid.map((row) => row.join('').trimEnd()).join('\n');
}

/** The styled content of every box, for reviewing which theme styles a frame uses. */
export function taggedText(frame: Frame): string {
  const parts: string[] = [];
  const add = (name: string, content: BoxContent | string[] | undefined) => {
    if (!content) return;
    const lines = Array.isArray(content) ? content : content.content;
    parts.push(`-- ${name}${Array.isArray(content) ? '' : ` ${content.label}`}`, ...lines);
  };
  for (const pane of PANES) add(pane, frame.panes?.[pane]);
  add('welcome', frame.welcome);
  add('status', frame.status);
  add('overlay', frame.overlay);
  add('dialog', frame.dialog);
  add('too-small', frame.tooSmall);
  return parts.join('\n');
}
