// What every command accepts, in one place: parsing, `--help`, `slotbench help` and the README are generated from it.

import type { CommandSpec, OptionSpec } from './options.js';

/** The exit codes of commands that run a flow; each means one thing. */
export const RUN_EXIT_CODES = [
  'exit codes:',
  '  0    judged: the tests (or the parser) decided the verdict: pass, fail, timeout, crash, parse_error',
  '  3    not judged: the model or server failed (refused, died mid-stream, stalled, context exceeded); the message says which',
  '  2    bad input (unknown problem, unreadable dataset, bad config or option); nothing ran',
  '  130  interrupted (Ctrl-C or SIGTERM); the session records the abort',
  '  74   judged, but a session could not be written whole (full disk, quota): the verdict is printed all the same',
  '  70   a bug in slotbench (please report it with the command you ran)',
] as const;

const MODEL = [
  { name: 'model', type: 'string', value: 'NAME', description: "configured model to use (default: the config's defaultModel, else `local` at http://127.0.0.1:8080)" },
  { name: 'model-script', type: 'string', value: 'FILE', description: 'answer slots from a JSON script: the scripted test double, labelled as such in the session' },
  { name: 'model-file', type: 'string', value: 'FILE.gguf', description: 'run this GGUF in-process with the embedded engine (no server needed)' },
  { name: 'config', type: 'string', value: 'FILE', description: 'config file (default: ./slotbench.config.json, if there is one)' },
] as const satisfies readonly OptionSpec[];

const SAMPLING = [
  { name: 'temperature', type: 'string', value: 'T', description: "sampling temperature, 0 = greedy (default: the model's config, else 0)" },
  { name: 'seed', type: 'string', value: 'N', description: 'sampling seed, 0 … 4294967295 (default: none, the server picks)' },
  { name: 'n-probs', type: 'string', value: 'N', description: 'record the top N token probabilities of every token (0 … 20)' },
] as const satisfies readonly OptionSpec[];

const TASK = [
  { name: 'dataset', type: 'string', value: 'PATH|NAME', description: 'HumanEval or MBPP file (JSONL, plain or .gz, or a JSON array), or a dataset named in the config', required: true },
  { name: 'problem', type: 'string', value: 'ID', description: 'problem id, e.g. HumanEval/0, Mbpp/11 or a bare MBPP number', required: true },
  { name: 'flow', type: 'string', value: 'NAME', description: 'flow to run', default: 'implement' },
  {
    name: 'flow-opt',
    type: 'string',
    value: 'KEY=VALUE',
    multiple: true,
    description: 'a flow option, repeatable (implement: repair=on|off); attempts=N is the same as --attempts N',
  },
] as const satisfies readonly OptionSpec[];

const GATE = [
  { name: 'timeout-ms', type: 'string', value: 'MS', description: 'wall-clock limit of one test run in milliseconds (default: the config\'s gate.timeoutMs, else 10000)' },
  { name: 'sandbox', type: 'string', value: 'bwrap|none', description: 'how model code runs: bwrap (the default; required unless you say none) or none (unsandboxed: only for code you trust)' },
] as const satisfies readonly OptionSpec[];

const SESSION = { name: 'session', type: 'string', value: 'PATH', description: 'write the session here instead of ./sessions/<id>.jsonl (the file must not exist)' } as const satisfies OptionSpec;
const JSON_OUT = { name: 'json', type: 'boolean', description: 'print one JSON result on stdout (progress goes to stderr)' } as const satisfies OptionSpec;
const THEME = { name: 'theme', type: 'string', value: 'NAME', description: 'colour theme: dark, light, high-contrast, mono (NO_COLOR picks mono)' } as const satisfies OptionSpec;

export const RUN_SPEC = {
  name: 'run',
  summary: 'Run a flow on one problem, headless: live progress, a recorded session, the verdict.',
  options: [
    ...TASK,
    ...MODEL,
    ...SAMPLING,
    { name: 'attempts', type: 'string', value: 'N', description: 'retry budget: attempts of the flow (1 … 100)', default: '1' },
    ...GATE,
    SESSION,
    { name: 'repeat', type: 'string', value: 'N', description: 'run N times and report whether the runs agree (a determinism check)', default: '1' },
    JSON_OUT,
  ],
  notes: RUN_EXIT_CODES,
} as const satisfies CommandSpec;

export const TUI_SPEC = {
  name: 'tui',
  summary: 'The workbench: step a flow slot by slot, watch it stream, re-run slots as branches. Without --problem: the welcome screen.',
  options: [
    { ...TASK[0], required: false },
    { ...TASK[1], required: false },
    TASK[2],
    TASK[3],
    ...MODEL,
    ...SAMPLING,
    { name: 'attempts', type: 'string', value: 'N', description: 'retry budget: attempts of the flow (1 … 100)', default: '1' },
    ...GATE,
    SESSION,
    THEME,
    { name: 'resume', type: 'string', value: 'SESSION', description: 'open on an unfinished session resumed live: its answers replayed, paused where the recording stops (see slotbench resume)' },
  ],
  notes: ['`slotbench` with no command opens the welcome screen. Keys: `slotbench keys`, or `?` inside.'],
} as const satisfies CommandSpec;

export const PROBE_SPEC = {
  name: 'probe',
  summary: 'Ask one slot N times at a temperature, gate every sample, and show what the model tends to do (pass@k, distinct solutions).',
  options: [
    TASK[0],
    TASK[1],
    TASK[2],
    { name: 'slot', type: 'string', value: 'NAME', description: "slot to probe (default: the flow's first)" },
    { name: 'n', type: 'string', value: 'N', description: 'samples per temperature (1 … 1000)', default: '20' },
    { name: 'temperature', type: 'string', value: 'T[,T…]', description: 'one temperature, or several to compare (paired seeds)', default: '0.8' },
    { name: 'seed-base', type: 'string', value: 'S', description: 'sample i gets seed S+i', default: '1' },
    { name: 'n-probs', type: 'string', value: 'N', description: 'record the top N token probabilities of every token (0 … 20)' },
    ...MODEL,
    ...GATE,
    SESSION,
    JSON_OUT,
  ],
  notes: RUN_EXIT_CODES,
} as const satisfies CommandSpec;

export const EVAL_SPEC = {
  name: 'eval',
  summary: 'Run a whole dataset (or one split of it) through a flow: pass rates per split, errors apart from fails, a run directory to compare.',
  options: [
    { ...TASK[0], required: false, description: 'HumanEval or MBPP file, or a dataset named in the config (required unless --resume)' },
    { name: 'split', type: 'string', value: 'tuned|heldout|all', description: 'which half to run: held-out is what a claim rests on (a fixed hash of the problem id)', default: 'all' },
    { name: 'ids', type: 'string', value: 'FILE', description: 'run only the problem ids listed in FILE (one per line)' },
    { name: 'limit', type: 'string', value: 'N', description: 'run only the first N problems of the selection' },
    { name: 'repeat', type: 'string', value: 'K', description: 'run every problem K times: pass@1 averaged over repeats, and the flip rate between them (the noise floor)', default: '1' },
    TASK[2],
    TASK[3],
    ...MODEL,
    ...SAMPLING,
    { name: 'attempts', type: 'string', value: 'N', description: 'retry budget: attempts of the flow per problem (1 … 100)', default: '1' },
    { name: 'max-retries', type: 'string', value: 'N', description: 'runs that judged nothing (server died, stalled) are retried up to N times; never counted as fails', default: '2' },
    ...GATE,
    { name: 'out', type: 'string', value: 'DIR', description: 'the run directory (default ./evals/<date>-<dataset>-<model>); must be new or empty' },
    { name: 'resume', type: 'string', value: 'DIR', description: 'continue an interrupted eval; refused when the fingerprint differs (model build, dataset, settings)' },
    JSON_OUT,
  ],
  notes: [
    'The run directory holds manifest.json (what ran, its fingerprint), results.jsonl (one row per problem and repeat)',
    'and sessions/ (every run recorded). Compare two with `slotbench compare A B`.',
    'exit codes:',
    '  0    every selected problem has a result (errors, if any, are counted apart from fails: see the report)',
    '  3    stopped early: the model or server went away (--resume continues)',
    '  2    bad input (unreadable dataset, bad option, a --resume whose fingerprint differs); nothing ran',
    '  130  interrupted (Ctrl-C or SIGTERM); what finished is kept, --resume continues',
  ],
} as const satisfies CommandSpec;

export const COMPARE_SPEC = {
  name: 'compare',
  summary: 'Compare two eval runs problem by problem: paired table, flips, McNemar, bootstrap CI, noise floor, and a verdict that never calls noise a win.',
  positionals: [
    { name: 'RUN_A', description: 'the baseline run directory' },
    { name: 'RUN_B', description: 'the run with the change' },
  ],
  options: [
    { name: 'noise', type: 'string', value: 'RUN_C', description: "a second run of A's config: its flips against A give the noise floor when the runs have no repeats" },
    { name: 'md', type: 'boolean', description: 'print markdown (for a report or a pull request)' },
    { name: 'json', type: 'boolean', description: 'print the whole comparison as JSON' },
  ],
  notes: ['exit codes: 0 compared (whatever the verdict) · 2 bad input (not a run directory, damaged results)'],
} as const satisfies CommandSpec;

export const VIEW_SPEC = {
  name: 'view',
  summary: "An eval's results in the workbench: filter, sort, search, pass-rate bars, histograms, Enter replays a problem; with RUN_B the paired comparison.",
  positionals: [
    { name: 'RUN', description: 'an eval run directory (the --out of slotbench eval); a running eval is followed live' },
    { name: 'RUN_B', description: 'a second run: the paired table, the flips, Enter shows both sessions side by side', optional: true },
  ],
  options: [THEME],
  notes: [
    'Keys in the view: j/k pick, f filter (all, fails, errors, repaired, flipped), s sort, / search, Enter open, q quit.',
    'exit codes: 0 closed · 2 bad input (no such directory, not a run directory, a damaged results line)',
  ],
} as const satisfies CommandSpec;

export const REPLAY_SPEC = {
  name: 'replay',
  summary: 'Replay a recorded session: the workbench on a terminal (transport keys), a transcript when piped or with --plain.',
  positionals: [{ name: 'SESSION', description: 'session file, id, or unique id prefix' }],
  options: [
    { name: 'plain', type: 'boolean', description: 'print the transcript even on a terminal' },
    { name: 'prompts', type: 'boolean', description: 'include every prompt in the transcript' },
    { name: 'tail', type: 'string', value: 'LINES', description: 'show only the last LINES of each test output in the transcript' },
    { name: 'json', type: 'boolean', description: 'print every event as JSONL in the current format (old sessions are migrated)' },
    { name: 'speed', type: 'string', value: 'N|instant', description: 'playback speed in the workbench', default: '1' },
    { name: 'at-end', type: 'boolean', description: 'open the workbench at the end of the recording instead of playing it' },
    THEME,
  ],
} as const satisfies CommandSpec;

export const RERUN_SPEC = {
  name: 'rerun',
  summary: "Run the flow again live (real gate and parser) with the model's answers taken from a recording, and compare.",
  positionals: [{ name: 'SESSION', description: 'session file, id, or unique id prefix' }],
  options: [
    { name: 'branch', type: 'string', value: 'N', description: "branch of the recording to rerun (default: the branch that decided the session's result)" },
    { name: 'flow', type: 'string', value: 'NAME', description: 'run another flow than the recorded one' },
    { name: 'model', type: 'string', value: 'NAME', description: 'a live model answers from the first request the recording cannot' },
    { name: 'config', type: 'string', value: 'FILE', description: 'config file (default: ./slotbench.config.json)' },
    { name: 'dataset', type: 'string', value: 'PATH|NAME', description: 'where the task is, when the recorded dataset path is gone' },
    ...GATE,
    SESSION,
    { name: 'json', type: 'boolean', description: 'print one JSON object: verdicts, whether the rerun reproduced the recording' },
  ],
  notes: ['exit codes: 0 same verdict as recorded · 1 the verdict differs · 2 bad input · 130 interrupted'],
} as const satisfies CommandSpec;

export const RESUME_SPEC = {
  name: 'resume',
  summary:
    'Go on with an unfinished session (interrupted, or the model went away), headless: its recorded answers replayed, then a live model from where it stopped, as a new session. In the workbench: tui --resume, or R in a replay.',
  positionals: [{ name: 'SESSION', description: 'session file, id, or unique id prefix' }],
  options: [
    { name: 'branch', type: 'string', value: 'N', description: "branch to resume (default: the branch that decided the session's result)" },
    { ...MODEL[0], description: "model that answers once the recording stops (default: the recorded model's name when it is configured, else the config's default)" },
    MODEL[1],
    MODEL[2],
    MODEL[3],
    { name: 'dataset', type: 'string', value: 'PATH|NAME', description: 'where the task is, when the recorded dataset path is gone' },
    ...GATE,
    SESSION,
    JSON_OUT,
  ],
  notes: RUN_EXIT_CODES,
} as const satisfies CommandSpec;

export const DIFF_SPEC = {
  name: 'diff',
  summary: 'Align two sessions slot by slot and show the first divergence (prompt, answer, code, verdict).',
  positionals: [
    { name: 'A', description: 'session file, id, or unique id prefix' },
    { name: 'B', description: 'session file, id, or unique id prefix' },
  ],
  options: [
    { name: 'align', type: 'string', value: 'order|name', description: 'pair slots by position, or by name and attempt', default: 'order' },
    { name: 'branch-a', type: 'string', value: 'N', description: "branch of A (default: the branch that decided A's result)" },
    { name: 'branch-b', type: 'string', value: 'N', description: "branch of B (default: the branch that decided B's result)" },
    { name: 'json', type: 'boolean', description: 'print the comparison as JSON' },
  ],
  notes: ['exit codes: 0 the sessions agree · 1 they diverge · 2 bad input'],
} as const satisfies CommandSpec;

export const SESSIONS_SPEC = {
  name: 'sessions',
  summary: 'List the recorded sessions of ./sessions: sort, filter, delete.',
  options: [
    { name: 'sort', type: 'string', value: 'KEY', description: 'date, verdict, duration, tokens or problem', default: 'date' },
    { name: 'filter', type: 'string', value: 'TEXT', description: 'keep rows matching every word: a bare word matches any field, a tag or the note, FIELD:VALUE one field (verdict:fail model:qwen dataset:mbpp problem: flow: mode: label:), tag:NAME that exact tag' },
    { name: 'json', type: 'boolean', description: 'print the rows as JSON (with every tag and the whole note)' },
    { name: 'delete', type: 'string', value: 'ID', description: 'delete a session (asks first on a terminal)' },
    { name: 'yes', type: 'boolean', description: 'with --delete: do not ask' },
  ],
} as const satisfies CommandSpec;

const ANNOTATION_EXIT = 'exit codes: 0 done · 2 bad input, or the session is still being recorded by a run (nothing written)';

export const NOTE_SPEC = {
  name: 'note',
  summary: "Show or set a session's note (kept in the session file itself, searchable with `sessions --filter`).",
  positionals: [
    { name: 'SESSION', description: 'session file, id, or unique id prefix' },
    { name: 'TEXT', description: 'the new note (the words joined by spaces; at most 2,000 characters); none: print the note', optional: true, repeats: true },
  ],
  options: [{ name: 'clear', type: 'boolean', description: 'remove the note' }],
  notes: [ANNOTATION_EXIT],
} as const satisfies CommandSpec;

export const TAG_SPEC = {
  name: 'tag',
  summary: "Show, add or remove a session's tags (kept in the session file itself; `sessions --filter tag:NAME`).",
  positionals: [
    { name: 'SESSION', description: 'session file, id, or unique id prefix' },
    { name: 'TAG', description: 'tags to add: 1-32 of a-z 0-9 . _ - (lower-cased), at most 16 per session; none: print the tags', optional: true, repeats: true },
  ],
  options: [{ name: 'remove', type: 'string', value: 'TAG…', multiple: true, words: true, description: 'remove these tags (every word after it, up to the next option)' }],
  notes: [ANNOTATION_EXIT],
} as const satisfies CommandSpec;

export const MODELS_SPEC = {
  name: 'models',
  summary: 'List the configured models with health, model file, context size, slots and build.',
  options: [MODEL[3], { name: 'json', type: 'boolean', description: 'print the rows as JSON' }],
} as const satisfies CommandSpec;

export const DOCTOR_SPEC = {
  name: 'doctor',
  summary: 'Check what a run needs (Python, sandbox, limits, servers, datasets) and say what is missing and how to fix it.',
  options: [
    { name: 'model', type: 'string', value: 'NAME', description: "check as for a run with this configured model (default: the config's defaultModel); other models' servers are warnings" },
    MODEL[3],
  ],
  notes: ['exit codes: 0 everything a run needs is there (warnings may remain) · 1 something required is missing'],
} as const satisfies CommandSpec;

export const KEYS_SPEC = {
  name: 'keys',
  summary: "List the workbench's keys and `:` commands.",
  options: [{ name: 'markdown', type: 'boolean', description: "print the README's markdown tables instead" }],
} as const satisfies CommandSpec;

export const HELP_SPEC = {
  name: 'help',
  summary: 'Show the commands, or one command\'s options.',
  positionals: [{ name: 'COMMAND', description: 'the command to explain', optional: true }],
  options: [{ name: 'markdown', type: 'boolean', description: "print every command's options as the README's markdown" }],
} as const satisfies CommandSpec;
