// Interfaces through which the pure core reaches models, the test gate and the parser; implementations live outside core/.

import type { ModelIdentity, TestRunInfo, Timings, TokenAlternative } from './events.js';
import type { ModelRequest } from './sampling.js';
import type { Check, WorkspaceFile } from './task.js';

/** One streamed token as a model implementation hands it to the engine. */
export interface StreamedToken {
  text: string;
  /** Token id, when the implementation knows it. */
  id?: number;
  logprob?: number;
  top?: TokenAlternative[];
}

/** What a finished generation reports besides its tokens. */
export interface Completion {
  text: string;
  tokenCount: number;
  /** 'limit' | 'word' | 'eos' | 'abort'. */
  stopType: string;
  stoppingWord?: string;
  timings?: Timings;
  tokensCached?: number;
  generationSettings?: Record<string, unknown>;
  idSlot?: number;
  /** Which server answered, when the model is a pool of them. */
  server?: string;
}

export interface GenerateOptions {
  signal?: AbortSignal;
  /** Called for every token as it arrives; must be cheap (hot path). */
  onToken: (token: StreamedToken) => void;
  /** Called when the implementation waits (e.g. server still loading), for the person to see. */
  onNotice?: (message: string) => void;
  /** Which slot asks: test doubles and the replay model answer by it; real models ignore it. */
  slot?: SlotContext;
}

/** The slot a request belongs to. */
export interface SlotContext {
  name: string;
  /** Id of the task the run works on. */
  task?: string;
  /** Position among the model calls of the branch, from 0. */
  ordinal: number;
  attempt: number;
}

/** Server/engine facts a person wants to see (`slotbench models`, status bar). */
export interface ModelInfo {
  healthy: boolean;
  /** Up but still loading its model: requests will be answered once it is done (the client waits). */
  loading?: boolean;
  /** One-line health state or error. */
  status: string;
  modelFile?: string;
  alias?: string;
  nCtx?: number;
  totalSlots?: number;
  hasChatTemplate?: boolean;
  build?: string;
  /** What the model computes on, where known: the embedded engine's `cpu`, `cuda (NVIDIA …)`, `vulkan (…)`, `metal (…)`. */
  backend?: string;
}

/** A model: the llama-server client, the embedded engine, the scripted test double, a replay of a session. */
export interface ModelPort {
  readonly identity: ModelIdentity;
  /** Which wire API requests go through. */
  readonly api: 'completion' | 'chat';
  /** Requests it serves at once (server slots); the engine and probes never exceed it. */
  readonly maxParallel: number;
  /**
   * Generate a completion, streaming tokens through `onToken`.
   * Rejects with a `UserError` (one-line message) on server errors, cut-off or stalled streams; with code 'aborted' on abort.
   */
  generate(request: ModelRequest, options: GenerateOptions): Promise<Completion>;
  info(): Promise<ModelInfo>;
  /** Count tokens of a text, where supported. */
  tokenize?(text: string): Promise<number[]>;
  /** Release resources (sockets, loaded weights). */
  close?(): Promise<void>;
}

/** Resolves configured model names to implementations (so a slot can be re-run on another model). */
export interface ModelRegistry {
  get(name: string): ModelPort;
  names(): string[];
}

/** The files a check runs against: a whole workspace (small tasks), or a base tree with the changed files laid over it. */
export type Workspace =
  | { files: WorkspaceFile[] }
  /** `baseDir` is an existing directory (a repo worktree at the task's revision); it is never written to. */
  | { baseDir: string; changed: WorkspaceFile[] };

/** One test run: the workspace, the check, and who is judging. */
export interface GateInput {
  workspace: Workspace;
  check: Check;
  /** The model's own tests (spec-first) or the hidden oracle; recorded with the result. */
  judge: 'own' | 'oracle';
  /** Wall-clock limit; everything the check started is killed after it. */
  timeoutMs: number;
  signal?: AbortSignal;
}

/** The test gate: the only judge. */
export interface GatePort {
  run(input: GateInput): Promise<TestRunInfo>;
  /** Set once, when the sandbox or a resource limit is unavailable; the engine shows it as a note. */
  readonly warning?: string;
}

/** Where a parse error is. */
export interface ParseError {
  line: number;
  column: number;
  text: string;
  /** An indentation error (unexpected indent, unindent mismatch, expected an indented block, tabs and spaces). */
  indentation?: boolean;
}

/** Language tooling the flows need: parse check, whitespace-insensitive token equality, normal form for clustering. */
export interface CodeParser {
  /** Syntax errors of a module (empty = parses). */
  errors(code: string): ParseError[];
  /** True when both texts have the same token sequence, whitespace (indentation) ignored. */
  sameTokens(a: string, b: string): boolean;
  /** Canonical form without comments, whitespace and identifier names, for grouping equivalent solutions. */
  normalise(code: string): string;
  /** Every function, class and method of a module with its byte range, so flows splice code by range. */
  definitions(code: string): Definition[];
}

/** A definition found in a module. Offsets are UTF-16 string offsets (JavaScript indices) into the code. */
export interface Definition {
  /** `name`, or `Class.name` for a method. */
  name: string;
  kind: 'function' | 'class' | 'method';
  /** From the first decorator (or `def`/`class`) to the end of the body. */
  start: number;
  end: number;
  /** 1-based line of the `def`/`class` keyword. */
  line: number;
}
