// Key names: how blessed names a key press, and how a person reads it (status bar, help, README).

/** blessed's (ch, key) → one name: printable characters as themselves, the rest as blessed's full name. */
export function keyName(ch: string | undefined, key: { full?: string; name?: string; ctrl?: boolean; meta?: boolean } | undefined): string {
  if (ch && ch.length === 1 && !key?.ctrl && !key?.meta && ch >= ' ' && ch !== '\x7f') return ch === ' ' ? 'space' : ch;
  return key?.full ?? key?.name ?? ch ?? '';
}

/** Human form of a key name for help and README: `C-c` → `Ctrl-C`, `S-tab` → `Shift-Tab`. */
export function displayKey(name: string): string {
  const named: Record<string, string> = {
    space: 'Space', tab: 'Tab', 'S-tab': 'Shift-Tab', up: '↑', down: '↓', pageup: 'PgUp', pagedown: 'PgDn',
    home: 'Home', end: 'End', escape: 'Esc', enter: 'Enter',
  };
  if (named[name]) return named[name];
  if (name.startsWith('C-')) return `Ctrl-${name.slice(2).toUpperCase()}`;
  return name;
}
