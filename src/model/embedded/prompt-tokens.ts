// A request's prompt as tokens: the raw text for `completion`, the model's chat template for `chat`.

import type { ChatHistoryItem, Token } from 'node-llama-cpp';
import { UserError } from '../../core/errors.js';
import type { ModelRequest } from '../../core/sampling.js';
import type { Engine } from './engine.js';

export interface PromptTokens {
  tokens: Token[];
  /** End-of-turn texts of the chat template; reaching one ends the turn ('eos'), it is not a stop word. */
  turnEnds: string[];
}

/** Raw prompt, tokenized as llama-server does: special-token text parsed, BOS in front when the model wants it. */
function completionTokens(engine: Engine, prompt: string): Token[] {
  const { model } = engine;
  const tokens = model.tokenize(prompt, true);
  const bos = model.tokens.bos;
  if (model.tokens.shouldPrependBosToken && bos !== null && tokens[0] !== bos) tokens.unshift(bos);
  return tokens;
}

/** Chat messages through the model's own template, or ChatML when it has none (llama-server's fallback too). */
function chatTokens(engine: Engine, request: ModelRequest): PromptTokens {
  const { lib, model } = engine;
  const messages = request.messages ?? [{ role: 'user' as const, content: request.prompt }];
  const history: ChatHistoryItem[] = messages.map((message) => {
    if (message.role === 'assistant') return { type: 'model', response: [message.content] };
    return { type: message.role, text: message.content };
  });
  // A trailing assistant message is a prefix to continue; otherwise open a new assistant turn.
  if (messages.at(-1)?.role !== 'assistant') history.push({ type: 'model', response: [] });
  const wrapper = engine.hasChatTemplate ? lib.resolveChatWrapper(model) : new lib.ChatMLChatWrapper();
  const { contextText, stopGenerationTriggers } = wrapper.generateContextState({ chatHistory: history });
  const turnEnds: string[] = [];
  for (const trigger of stopGenerationTriggers) {
    // Triggers made of special tokens (EOS, EOT) end generation inside node-llama-cpp already.
    if (trigger.values.every((value) => typeof value === 'string' || value instanceof lib.SpecialTokensText)) {
      turnEnds.push(trigger.values.map((value) => (typeof value === 'string' ? value : (value as { value: string }).value)).join(''));
    }
  }
  return { tokens: contextText.tokenize(model.tokenizer), turnEnds: turnEnds.filter((end) => end !== '') };
}

export function promptTokens(engine: Engine, request: ModelRequest, api: 'completion' | 'chat'): PromptTokens {
  const prompt = api === 'chat' ? chatTokens(engine, request) : { tokens: completionTokens(engine, request.prompt), turnEnds: [] };
  if (prompt.tokens.length === 0) throw new UserError('the prompt is empty and the model has no BOS token to start from', 'empty_prompt');
  if (prompt.tokens.length >= engine.nCtx) {
    throw new UserError(
      `request (${prompt.tokens.length} tokens) exceeds the available context size (${engine.nCtx} tokens): shorten the prompt or raise contextSize in slotbench.config.json`,
      'exceed_context_size_error',
    );
  }
  return prompt;
}
