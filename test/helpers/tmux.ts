// Drives the real program in a real terminal: tmux on a private socket, keys in, screen text out.

import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);
let counter = 0;

/** Printed by the wrapper shell when the program exits, so a test can read its exit code off the screen. */
export const EXIT_MARK = '[slotbench exited';

export interface TmuxOptions {
  /** argv of the program; run through `sh -c` with quoting done here. */
  argv: string[];
  cwd: string;
  cols?: number;
  rows?: number;
  env?: Record<string, string>;
}

function quote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export class TmuxSession {
  private constructor(
    private readonly socket: string,
    readonly name: string,
  ) {}

  static async start(options: TmuxOptions): Promise<TmuxSession> {
    const socket = `slotbench-e2e-${process.pid}-${++counter}`;
    const session = new TmuxSession(socket, 'main');
    const env = Object.entries(options.env ?? {}).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    // The shell stays after the program exits so the test can see what the terminal was left with.
    const command = `${options.argv.map(quote).join(' ')}; echo "${EXIT_MARK} $?]"; sleep 600`;
    await run('tmux', [
      '-L', socket, '-f', '/dev/null', 'new-session', '-d',
      '-x', String(options.cols ?? 120), '-y', String(options.rows ?? 40),
      '-s', session.name, '-c', options.cwd, ...env, command,
    ]);
    return session;
  }

  private tmux(...args: string[]): Promise<{ stdout: string }> {
    return run('tmux', ['-L', this.socket, ...args]);
  }

  /** Key names as tmux knows them (`Enter`, `Tab`, `BTab`, `C-c`) or single characters. */
  async keys(...keys: string[]): Promise<void> {
    await this.tmux('send-keys', '-t', this.name, ...keys);
  }

  /** Literal text (no key-name lookup). */
  async type(text: string): Promise<void> {
    await this.tmux('send-keys', '-t', this.name, '-l', text);
  }

  /** A `:` command as a person enters it: `:`, the text, Enter. */
  async command(text: string): Promise<void> {
    await this.keys(':');
    await this.type(text);
    await this.keys('Enter');
  }

  async capture(): Promise<string> {
    return (await this.tmux('capture-pane', '-p', '-t', this.name)).stdout;
  }

  /** The screen with its colours and attributes as SGR sequences (`capture-pane -e`). */
  async captureStyled(): Promise<string> {
    return (await this.tmux('capture-pane', '-p', '-e', '-t', this.name)).stdout;
  }

  /** A tmux format value of the pane, e.g. `alternate_on`, `cursor_flag`. */
  async paneFlag(name: string): Promise<string> {
    return (await this.tmux('display-message', '-p', '-t', this.name, `#{${name}}`)).stdout.trim();
  }

  /** Pid of the program (the child of the pane's wrapper shell), for signalling it. */
  async childPid(): Promise<number> {
    const shell = await this.paneFlag('pane_pid');
    const { stdout } = await run('ps', ['-o', 'pid=', '--ppid', shell]);
    const pid = Number(stdout.trim().split(/\s+/)[0]);
    if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no child process under pane shell ${shell}`);
    return pid;
  }

  async resize(cols: number, rows: number): Promise<void> {
    await this.tmux('resize-window', '-t', this.name, '-x', String(cols), '-y', String(rows));
  }

  /**
   * Poll the screen until it shows `what` (text, pattern or test); the error carries the last screen. A match is
   * returned once the screen stops changing (up to a second), so a frame caught half drawn under load is not asserted on.
   */
  async waitFor(what: string | RegExp | ((screen: string) => boolean), timeoutMs = 15_000): Promise<string> {
    const test = typeof what === 'function' ? what : typeof what === 'string' ? (s: string) => s.includes(what) : (s: string) => what.test(s);
    const start = Date.now();
    let screen = '';
    for (;;) {
      screen = await this.capture();
      if (test(screen)) return this.settled(screen, test);
      if (Date.now() - start > timeoutMs) {
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${String(what)}; the screen was:\n${screen}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** The last matching screen once two captures agree, or after a second, or when the match goes away. */
  private async settled(screen: string, test: (screen: string) => boolean): Promise<string> {
    const start = Date.now();
    while (Date.now() - start < 1_000) {
      await new Promise((r) => setTimeout(r, 30));
      const next = await this.capture();
      if (next === screen || !test(next)) return screen;
      screen = next;
    }
    return screen;
  }

  /** Exit code printed by the wrapper once the program has ended. */
  async exitCode(timeoutMs = 15_000): Promise<number> {
    const screen = await this.waitFor(EXIT_MARK, timeoutMs);
    return Number(new RegExp(`${EXIT_MARK.replace(/[[\]]/g, '\\$&')} (\\d+)\\]`).exec(screen)![1]);
  }

  /** End the terminal and its tmux server, and remove the server's socket (tmux leaves it behind). */
  async kill(): Promise<void> {
    const socket = await this.tmux('display-message', '-p', '#{socket_path}').then((r) => r.stdout.trim(), () => '');
    await this.tmux('kill-server').catch(() => undefined);
    if (socket) await rm(socket, { force: true });
  }
}
