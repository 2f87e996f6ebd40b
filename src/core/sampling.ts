// Sampling parameters and the full request of one model call: what a slot sends, recorded verbatim.

/** Sampling parameters passed through to the model as-is (llama-server `/completion` names). */
export interface Sampling {
  /** 0 = greedy. */
  temperature: number;
  top_k?: number;
  top_p?: number;
  min_p?: number;
  /** Fixed seed for reproducible sampling at temperature > 0; absent = server default (random). */
  seed?: number;
  /** Maximum tokens to generate. */
  n_predict: number;
  /** Stop strings; the matched string is cut from the output. */
  stop?: string[];
  /** GBNF grammar constraining the output. */
  grammar?: string;
  /** JSON schema constraining the output (server converts it to a grammar). */
  json_schema?: unknown;
  /** Top-N token probabilities to return with each token; 0/absent = none. */
  n_probs?: number;
  /** Reuse the KV cache of a matching prompt prefix; on by default and always recorded. */
  cache_prompt: boolean;
  /** Pin the request to one server slot; absent = server picks. */
  id_slot?: number;
}

/** Defaults when neither config nor command line says otherwise: deterministic, bounded. */
export const DEFAULT_SAMPLING: Sampling = {
  temperature: 0,
  n_predict: 512,
  cache_prompt: true,
};

/** One chat message, for models driven through their chat template. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** The exact request of one model call: enough to re-run it bit for bit. */
export interface ModelRequest {
  /** Raw prompt text. For `api: 'chat'` it is sent as one user message unless `messages` is given. */
  prompt: string;
  /** Explicit chat messages (chat API only). */
  messages?: ChatMessage[];
  sampling: Sampling;
}

/** Per-call overrides a person (or a probe) applies when (re-)running a slot. */
export interface SlotOverrides {
  temperature?: number;
  seed?: number;
  /** Name of a configured model to use instead. */
  model?: string;
  /** Replacement prompt text (edited by a person). */
  prompt?: string;
  n_probs?: number;
}

export function applyOverrides(sampling: Sampling, overrides: SlotOverrides): Sampling {
  const next = { ...sampling };
  if (overrides.temperature !== undefined) next.temperature = overrides.temperature;
  if (overrides.seed !== undefined) next.seed = overrides.seed;
  if (overrides.n_probs !== undefined) next.n_probs = overrides.n_probs;
  return next;
}
