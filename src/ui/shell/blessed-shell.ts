// The thin blessed shell: places boxes, sets their content from a Frame, forwards keys, suspends for $EDITOR.

import blessed from 'blessed';
import { PANES, type PaneId } from '../../state/ui-state.js';
import type { BoxContent, Frame } from '../frame.js';
import type { Rect } from '../layout.js';
import { colourIndex, type Theme } from '../common/theme.js';
import type { ColourDepth } from '../common/theme-depth.js';
import { detectColourDepth } from './colour-depth.js';

type Box = blessed.Widgets.BoxElement;

export interface ShellStreams {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** terminfo name; default from $TERM. */
  terminal?: string;
  /** Colours to draw with; default detected from the environment (COLORTERM, TERM, terminfo). */
  colourDepth?: ColourDepth;
}

export class BlessedShell {
  readonly screen: blessed.Widgets.Screen;
  private readonly panes: Record<PaneId, Box>;
  private readonly main: Box;
  private readonly status: Box;
  private readonly overlay: Box;
  private readonly dialog: Box;
  private readonly shown = new Map<Box, string>();
  private destroyed = false;
  /** Colours the terminal shows; themes are drawn for it (`themeForDepth`). */
  readonly depth: ColourDepth;

  constructor(streams: ShellStreams = {}) {
    // Unicode box drawing rather than the ACS charset: clean borders inside tmux (STYLE.md).
    process.env.NCURSES_NO_UTF8_ACS ??= '1';
    this.screen = blessed.screen({
      smartCSR: true,
      title: 'slotbench',
      warnings: false,
      autoPadding: false,
      ...(streams.input ? { input: streams.input } : {}),
      ...(streams.output ? { output: streams.output } : {}),
      ...(streams.terminal ? { terminal: streams.terminal } : {}),
    } as blessed.Widgets.IScreenOptions);
    this.depth = streams.colourDepth ?? detectColourDepth({ ...process.env, ...(streams.terminal ? { TERM: streams.terminal } : {}) });
    // blessed reads terminfo's newer format as plain xterm (8 colours) and would turn every grey into black.
    (this.screen.tput as unknown as { colors: number }).colors = this.depth;
    const bordered = () => this.box({ border: { type: 'line' } });
    this.panes = { plan: bordered(), stream: bordered(), diff: bordered(), test: bordered() };
    this.main = bordered();
    this.status = this.box({});
    this.overlay = bordered();
    this.dialog = bordered();
  }

  private box(options: blessed.Widgets.BoxOptions): Box {
    return blessed.box({ parent: this.screen, tags: true, wrap: false, hidden: true, style: { border: {} }, ...options });
  }

  get cols(): number {
    return Number(this.screen.width);
  }

  get rows(): number {
    return Number(this.screen.height);
  }

  onKey(handler: (ch: string | undefined, key: { full?: string; name?: string; ctrl?: boolean; meta?: boolean }) => void): void {
    this.screen.on('keypress', handler);
  }

  onResize(handler: () => void): void {
    this.screen.on('resize', handler);
  }

  private place(box: Box, rect: Rect, content: BoxContent | string[] | undefined, border?: { fg: number | undefined }): void {
    if (!content) {
      box.hide();
      return;
    }
    box.left = rect.left;
    box.top = rect.top;
    box.width = rect.width;
    box.height = rect.height;
    const lines = Array.isArray(content) ? content : content.content;
    const text = lines.join('\n');
    if (this.shown.get(box) !== text) {
      box.setContent(text);
      this.shown.set(box, text);
    }
    if (!Array.isArray(content) && content.label) box.setLabel({ text: content.label, side: 'left' });
    if (border && box.style.border) (box.style.border as { fg?: number }).fg = border.fg;
    box.show();
  }

  /** Show a frame. Unchanged boxes keep their content (blessed then writes only the cells that differ). */
  draw(frame: Frame, focus: PaneId, theme: Theme): void {
    if (this.destroyed) return;
    const { layout } = frame;
    const colour = (pane: PaneId | 'focus') => {
      const fg = pane === focus || pane === 'focus' ? theme.styles['border.focus'].fg : theme.styles.border.fg;
      return { fg: fg === undefined ? undefined : colourIndex(fg) };
    };
    if (frame.tooSmall) {
      for (const pane of PANES) this.panes[pane].hide();
      for (const box of [this.status, this.overlay, this.dialog]) box.hide();
      this.place(this.main, { left: 0, top: 0, width: Math.max(1, this.cols), height: Math.max(1, this.rows) }, frame.tooSmall, colour('focus'));
      this.screen.render();
      return;
    }
    for (const pane of PANES) this.place(this.panes[pane], layout.panes[pane], frame.panes?.[pane], colour(pane));
    this.place(this.main, layout.main, frame.welcome, colour('focus'));
    this.place(this.status, layout.status, frame.status);
    this.place(this.overlay, layout.overlay, frame.overlay, colour('focus'));
    this.place(this.dialog, layout.dialog, frame.dialog, colour('focus'));
    if (frame.overlay) this.overlay.setFront();
    if (frame.dialog) this.dialog.setFront();
    this.screen.render();
  }

  /** Leave the screen, run a program on the real terminal (an editor), come back. Resolves with its exit code. */
  runExternal(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
    return new Promise((resolve, reject) => {
      this.screen.exec(file, args, { env, stdio: 'inherit' } as never, (error: Error | null, ok: boolean) => {
        if (error) reject(error);
        else resolve(ok ? 0 : 1);
      });
    });
  }

  /** Restore the terminal (cursor, normal buffer, echo). Safe to call twice. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.screen.destroy();
  }
}
