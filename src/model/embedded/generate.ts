// One generation on a context sequence: prompt in, tokens streamed out with llama-server's semantics and timings.

import { randomInt } from 'node:crypto';
import type { LlamaGrammar, SequenceEvaluateOptions, Token } from 'node-llama-cpp';
import { UserError } from '../../core/errors.js';
import type { Timings, TokenAlternative } from '../../core/events.js';
import type { Completion, GenerateOptions, StreamedToken } from '../../core/ports.js';
import type { ModelRequest, Sampling } from '../../core/sampling.js';
import { engineVersion, type Engine, type Slot } from './engine.js';
import { promptTokens, type PromptTokens } from './prompt-tokens.js';
import { StopScanner, TokenText } from './text-stream.js';

/** llama-server's defaults for the sampling fields a request leaves out. */
const SERVER_DEFAULTS = { top_k: 40, top_p: 0.95, min_p: 0.05 };

interface EvaluatedToken {
  token: Token;
  probabilities?: Map<Token, number>;
}

function abortMessage(name: string): string {
  return `generation on ${name} was aborted`;
}

/** One request, resolved to tokens and a sequence. */
interface Job {
  engine: Engine;
  slot: Slot;
  name: string;
  sampling: Sampling;
  prompt: PromptTokens;
  grammar: LlamaGrammar | undefined;
}

function commonPrefix(a: readonly number[], b: readonly number[]): number {
  const length = Math.min(a.length, b.length);
  let i = 0;
  while (i < length && a[i] === b[i]) i++;
  return i;
}

/** The sequence pinned by `id_slot`, else the free one holding the longest prefix of the prompt (as the server picks). */
function slotChooser(sampling: Sampling, tokens: readonly Token[], total: number): (free: readonly Slot[]) => Slot | undefined {
  const pinned = sampling.id_slot !== undefined && sampling.id_slot >= 0 && sampling.id_slot < total ? sampling.id_slot : undefined;
  if (pinned !== undefined) return (free) => free.find((slot) => slot.index === pinned);
  return (free) => {
    let best: Slot | undefined;
    let bestLength = -1;
    for (const slot of free) {
      const length = sampling.cache_prompt ? commonPrefix(slot.sequence.contextTokens, tokens) : 0;
      if (length > bestLength || (length === bestLength && best !== undefined && slot.index < best.index)) {
        best = slot;
        bestLength = length;
      }
    }
    return best;
  };
}

/** Seeds llama-server treats as "random" (-1, or 0xFFFFFFFF as it reports it). */
function resolveSeed(seed: number | undefined): number {
  if (seed === undefined || seed < 0 || seed >= 0xffffffff) return randomInt(0, 0xffffffff);
  return Math.floor(seed);
}

function perSecond(count: number, ms: number): number {
  return ms > 0 ? (count / ms) * 1000 : 0;
}

async function grammarFor(engine: Engine, sampling: Sampling): Promise<LlamaGrammar | undefined> {
  if (sampling.grammar) return engine.grammar(sampling.grammar);
  if (sampling.json_schema !== undefined) return engine.jsonSchemaGrammar(sampling.json_schema);
  return undefined;
}

/** Generate on a free sequence of `engine`; waits in line when all sequences are busy. */
export async function generate(
  engine: Engine,
  name: string,
  api: 'completion' | 'chat',
  request: ModelRequest,
  options: GenerateOptions,
): Promise<Completion> {
  if (options.signal?.aborted) throw new UserError(abortMessage(name), 'aborted');
  const { sampling } = request;
  const prompt = promptTokens(engine, request, api);
  const grammar = await grammarFor(engine, sampling);
  const choose = slotChooser(sampling, prompt.tokens, engine.slots.size);
  const slot = await engine.slots.acquire(choose, options.signal, abortMessage(name));
  try {
    return await generateOn({ engine, slot, name, sampling, prompt, grammar }, options);
  } finally {
    engine.slots.release(slot);
  }
}

async function generateOn(
  { engine, slot, name, sampling, prompt, grammar }: Job,
  { signal, onToken }: GenerateOptions,
): Promise<Completion> {
  const { model } = engine;
  const { tokens, turnEnds } = prompt;
  const sequence = slot.sequence;
  // cache_prompt keeps the prefix shared with the sequence's last request; the last prompt token is always
  // evaluated again so there are logits to sample from (llama-server does the same).
  let reused = sampling.cache_prompt ? Math.min(commonPrefix(sequence.contextTokens, tokens), tokens.length - 1) : 0;
  try {
    if (reused < sequence.nextTokenIndex) await sequence.eraseContextTokenRanges([{ start: reused, end: sequence.nextTokenIndex }]);
  } catch {
    // Some memory types (recurrent models) cannot drop a tail; start from an empty sequence instead.
    await sequence.clearHistory();
    reused = 0;
  }
  const evalTokens = tokens.slice(reused);

  const seed = resolveSeed(sampling.seed);
  const nProbs = Math.max(0, Math.floor(sampling.n_probs ?? 0));
  const evaluateOptions: SequenceEvaluateOptions = {
    temperature: sampling.temperature,
    topK: sampling.top_k ?? SERVER_DEFAULTS.top_k,
    topP: sampling.top_p ?? SERVER_DEFAULTS.top_p,
    minP: sampling.min_p ?? SERVER_DEFAULTS.min_p,
    seed,
    ...(grammar ? { grammarEvaluationState: new engine.lib.LlamaGrammarEvaluationState({ model, grammar }) } : {}),
  };
  // Like llama-server, generation also ends where the context is full, as a 'limit' stop.
  const requested = sampling.n_predict < 0 ? Number.POSITIVE_INFINITY : sampling.n_predict;
  const limit = Math.min(requested, engine.nCtx - tokens.length);

  const tokenText = new TokenText((pending, before) => model.detokenize(pending, false, before), tokens);
  const scanner = new StopScanner([...(sampling.stop ?? []), ...turnEnds]);
  let text = '';
  let generated = 0;
  let stopType = 'eos';
  let stoppingWord: string | undefined;
  const emit = (piece: string, token: StreamedToken = { text: '' }): void => {
    if (piece === '') return;
    text += piece;
    token.text = piece;
    onToken(token);
  };

  const started = performance.now();
  let first = started;
  let last = started;
  if (limit <= 0) {
    await sequence.evaluateWithoutGeneratingNewTokens(evalTokens);
    stopType = 'limit';
  } else {
    const stream: AsyncGenerator<EvaluatedToken, void, void | Token | Token[]> =
      nProbs > 0
        ? sequence.evaluateWithMetadata(evalTokens, { probabilities: true }, evaluateOptions)
        : sequence.evaluateWithMetadata(evalTokens, {}, evaluateOptions);
    const previous: Token[] = tokens.slice(-1);
    for await (const output of stream) {
      last = performance.now();
      if (generated === 0) first = last;
      generated++;
      if (signal?.aborted) throw new UserError(abortMessage(name), 'aborted');
      const token: StreamedToken = { text: '', id: output.token };
      if (output.probabilities !== undefined) addProbabilities(token, output.probabilities, nProbs, (id) => model.detokenize([id], false, previous));
      previous[0] = output.token;
      const piece = tokenText.push(output.token);
      if (piece !== undefined) {
        const scan = scanner.push(piece);
        emit(scan.emit, token);
        if (scan.stoppedBy !== undefined) {
          if (turnEnds.includes(scan.stoppedBy)) stopType = 'eos';
          else [stopType, stoppingWord] = ['word', scan.stoppedBy];
          break;
        }
      }
      if (generated >= limit) {
        stopType = 'limit';
        break;
      }
    }
  }
  if (stoppingWord === undefined) {
    const rest = scanner.push(tokenText.flush());
    emit(rest.emit + (rest.stoppedBy === undefined ? scanner.flush() : ''));
  }

  const promptMs = (generated > 0 ? first : performance.now()) - started;
  const predictedMs = last - first;
  const timings: Timings = {
    prompt_n: evalTokens.length,
    prompt_ms: promptMs,
    prompt_per_second: perSecond(evalTokens.length, promptMs),
    predicted_n: generated,
    predicted_ms: predictedMs,
    predicted_per_second: perSecond(generated, predictedMs),
    cache_n: reused,
  };
  const completion: Completion = {
    text,
    tokenCount: generated,
    stopType,
    timings,
    tokensCached: sequence.nextTokenIndex,
    generationSettings: {
      seed,
      temperature: sampling.temperature,
      top_k: evaluateOptions.topK,
      top_p: evaluateOptions.topP,
      min_p: evaluateOptions.minP,
      n_predict: sampling.n_predict,
      n_ctx: engine.nCtx,
      n_probs: nProbs,
      stop: sampling.stop ?? [],
      grammar: grammar !== undefined,
      threads: engine.threads.threads,
      engine: `node-llama-cpp ${engineVersion()} ${engine.backend.type}`,
    },
    idSlot: slot.index,
  };
  if (stoppingWord !== undefined) completion.stoppingWord = stoppingWord;
  return completion;
}

/**
 * node-llama-cpp reports probabilities after the sampler chain. At temperature 0 the chain is greedy only, so these
 * are the full-vocabulary values llama-server gives for n_probs; above 0 they are post-sampling (top-k/p, min-p,
 * temperature applied), like llama-server's `post_sampling_probs`.
 */
function addProbabilities(token: StreamedToken, probabilities: Map<Token, number>, n: number, piece: (id: Token) => string): void {
  const chosen = probabilities.get(token.id as Token);
  if (chosen !== undefined) token.logprob = Math.log(chosen);
  const top: TokenAlternative[] = [];
  for (const [id, probability] of probabilities) {
    if (top.length >= n) break;
    top.push({ token: piece(id), logprob: Math.log(probability) });
  }
  token.top = top;
}
