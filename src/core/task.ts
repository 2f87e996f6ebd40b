// One task model for every kind of work: what the model may see, what it may edit, and the hidden check that judges it.

/** Where a task came from; recorded in the session header. */
export type TaskRef =
  /** A row of a dataset file (HumanEval, MBPP). */
  | { kind: 'dataset'; dataset: string; id: string }
  /** A commit of a repository replayed as a task (its parent is the base, its tests the oracle). */
  | { kind: 'commit'; repo: string; commit: string; id: string }
  /** Free intent typed by a person (spec-first). */
  | { kind: 'intent'; id: string };

/** A file of a workspace: path relative to the workspace root ('/'-separated, no '..'), and its text. */
export interface WorkspaceFile {
  path: string;
  text: string;
}

/** One place the model fills: a symbol of a file, one slot each. */
export interface EditTarget {
  file: string;
  /** Function, class or method name (`Class.method`). */
  symbol: string;
}

/** The repository state a repo task starts from. */
export interface TaskBase {
  /** Repository path or URL. */
  repo: string;
  revision: string;
}

/**
 * Trusted test code that judges a candidate module it cannot be reached by: the tests run in a process of their own
 * and call the candidate's functions, loaded in another process, passing plain values (builtins only) between them.
 * HumanEval and MBPP are script checks.
 */
export interface ScriptCheck {
  kind: 'script';
  /** Workspace file holding the candidate module, e.g. `solution.py`. */
  module: string;
  /** Trusted code run in the judge before the tests (HumanEval: the prompt, whose helpers some tests call). */
  prelude?: string;
  /** The test code; never shown to the model, never readable by the candidate. */
  tests: string;
  /** Names the test code uses → the candidate's top-level object of that name (HumanEval: `candidate` → entry point). */
  bind: Record<string, string>;
  /** Also bind every top-level function and class the candidate defines under its own name (MBPP asserts call them). */
  bindAll?: boolean;
}

/**
 * A command run from the workspace root with hidden test files added, judged test by test from a JUnit XML report
 * (pytest's `--junitxml`), so FAIL_TO_PASS / PASS_TO_PASS can be told apart.
 */
export interface CommandCheck {
  kind: 'command';
  /** argv; `{python}` is replaced by the test interpreter and `{junit}` by the report's path. */
  argv: string[];
  /** Hidden files added to the workspace for the check only (never shown to the model). */
  files: WorkspaceFile[];
  /** Test ids (as the report names them, `classname::name`) that must pass after the change. */
  failToPass?: string[];
  /** Test ids that must keep passing. */
  passToPass?: string[];
}

/** How a task is judged. */
export type Check = ScriptCheck | CommandCheck;

/** A unit of work for a flow: HumanEval/MBPP rows, commit replay and spec-first all fit it. */
export interface Task {
  ref: TaskRef;
  language: 'python';
  /** Plain-language statement (HumanEval: the docstring; MBPP: the text; commit: the message). */
  statement: string;
  /** The files the model may see, before any edit. */
  files: WorkspaceFile[];
  /** What the model fills, one slot each, in order. */
  targets: EditTarget[];
  /** The hidden check that decides the verdict. */
  oracle: Check;
  /** For repository tasks: the tree the files come from (read-only; edits are laid over it). */
  base?: TaskBase;
  /** A known-good version of the edited files, when the source has one; never shown to the model. */
  reference?: WorkspaceFile[];
}

/** The text of one workspace file of a task (the model-visible version). */
export function taskFile(task: Task, path: string): string | undefined {
  return task.files.find((f) => f.path === path)?.text;
}

/** The workspace files with `changed` laid over them (same path replaces, new paths are added). */
export function withChanges(files: WorkspaceFile[], changed: WorkspaceFile[]): WorkspaceFile[] {
  const byPath = new Map(files.map((f) => [f.path, f] as const));
  for (const file of changed) byPath.set(file.path, file);
  return [...byPath.values()];
}
