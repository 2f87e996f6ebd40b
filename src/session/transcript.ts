// The plain transcript of a session (`replay --plain`): what was asked, answered, extracted, repaired, tested and decided.

import { hashTags } from '../core/annotation.js';
import type { SlotbenchEvent } from '../core/events.js';
import type { Sampling } from '../core/sampling.js';
import { initialRunState, reduce } from '../state/run-state.js';
import { tokensPerSecond } from '../state/selectors.js';
import { stripControl } from '../text/sanitize.js';
import { plural } from '../text/plural.js';

export interface TranscriptOptions {
  /** Include each slot's full prompt (long: the whole problem statement and stub). */
  prompts?: boolean;
  /** Lines of test output shown per run (from the end). */
  outputTail?: number;
}

/** Render a whole session; every line is free of terminal control sequences. */
export function renderTranscript(events: readonly SlotbenchEvent[], options: TranscriptOptions = {}): string[] {
  const state = initialRunState();
  const lines: string[] = [];
  const put = (text: string) => lines.push(...stripControl(text).split('\n'));
  const block = (title: string, text: string) => {
    put(`  ${title}:`);
    for (const line of stripControl(text).replace(/\n$/, '').split('\n')) lines.push(`    │ ${line}`);
  };
  for (const event of events) {
    reduce(state, event);
    switch (event.type) {
      case 'session_started':
        put(`session ${event.sessionId} · slotbench ${event.slotbenchVersion} · format ${event.formatVersion} · ${event.startedAt}`);
        put(`flow ${event.flow} · problem ${event.task.id}${event.task.kind === 'dataset' ? ` (${event.task.dataset})` : ''}`);
        put(`model ${event.model.name} (${event.model.kind}${event.model.fingerprint ? `, ${event.model.fingerprint}` : ''})` +
          `${event.model.location ? ` at ${event.model.location}` : ''}`);
        if (event.label) put(`label: ${event.label}`);
        if (event.derivedFrom) put(`derived from session ${event.derivedFrom}`);
        put(`sampling ${samplingLine(event.sampling)} · attempts ${event.attempts}`);
        break;
      case 'flow_started':
        put('');
        put(`── flow ${event.flow}, branch ${event.branchId} ${'─'.repeat(40)}`);
        break;
      case 'branch': {
        const overrides = Object.entries(event.overrides).map(([k, v]) => `${k}=${k === 'prompt' ? '(edited)' : JSON.stringify(v)}`);
        put('');
        put(`branch ${event.branchId} from slot ${event.fromSlotId} (#${event.fromOrdinal}) of branch ${event.parentBranchId}` +
          `${overrides.length ? `: ${overrides.join(' ')}` : ''}`);
        break;
      }
      case 'slot_started':
        put('');
        put(`▶ slot ${event.name} ${event.slotId} · #${event.ordinal} · attempt ${event.attempt} · branch ${event.branchId}` +
          `${event.repairOf ? ` · repairs ${event.repairOf}` : ''}`);
        break;
      case 'prompt_built':
        put(`  request: ${event.model} (${event.api}) ${samplingLine(event.request.sampling)} · prompt ${event.request.prompt.length} chars`);
        if (options.prompts) block('prompt', event.request.prompt);
        break;
      case 'slot_output': {
        const slot = state.slots.get(event.slotId);
        block('output', event.text);
        const server = event.timings
          ? ` · prompt ${event.timings.prompt_n} tok (${event.timings.cache_n ?? event.tokensCached ?? 0} cached)`
          : '';
        put(`  stop ${event.stopType}${event.stoppingWord ? ` (${JSON.stringify(event.stoppingWord)})` : ''} · ${event.tokenCount} tokens` +
          ` · ${slot ? tokensPerSecond(slot).toFixed(1) : '?'} tok/s · ${event.durationMs} ms${server}`);
        break;
      }
      case 'slot_error': {
        // What streamed before the cut is part of the record: an aborted slot shows its partial output.
        const partial = state.slots.get(event.slotId)?.text ?? '';
        if (partial !== '') block(`partial output (${event.tokenCount} tokens before the ${event.code === 'aborted' ? 'abort' : 'error'})`, partial);
        put(`  error (${event.code}) after ${event.tokenCount} tokens: ${event.message}`);
        break;
      }
      case 'code_extracted':
        block(`code (${event.how})`, event.code);
        break;
      case 'parse_failed':
        put(`  parse failed: ${event.errors.map((e) => `line ${e.line}:${e.column} ${JSON.stringify(e.text)}`).join('; ')}`);
        if (event.noRepair) put(`  ${event.noRepair}`);
        break;
      case 'repair':
        put(`  re-indent by ${event.slotId} of ${event.repairOf}: ${event.accepted ? 'accepted' : 'rejected'} (${event.reason})`);
        break;
      case 'slot_result':
        put(`  result: ${event.status}`);
        break;
      case 'code_applied':
        block(`diff ${event.file}`, event.diff);
        break;
      case 'test_run': {
        put(`  test ${event.gateId}: ${event.verdict} · exit ${event.exitCode ?? event.signal} · ${event.durationMs} ms · sandbox ${event.sandbox}`);
        put(`    $ ${event.command.join(' ')}`);
        const tail = [event.stdoutTail, event.stderrTail].filter((t) => t.trim() !== '').join('\n').split('\n');
        const shown = tail.slice(-(options.outputTail ?? 12)).join('\n');
        if (shown.trim() !== '') block('test output (tail)', shown);
        break;
      }
      case 'settings_changed':
        put(`settings: model ${event.model} · ${samplingLine(event.sampling)} · attempts ${event.attempts}`);
        break;
      case 'note':
        put(`${event.level === 'warn' ? 'warning' : 'note'}: ${event.message}`);
        break;
      case 'annotated':
        put('');
        put(`annotated ${event.at}: ${hashTags(event.tags) || 'no tags'}`);
        if (event.note !== '') block('note', event.note);
        break;
      case 'flow_finished':
        put(`■ branch ${event.branchId}: ${event.verdict} (${event.reason}) · ${plural(event.attempts, 'attempt')} · ${event.durationMs} ms`);
        break;
    }
  }
  put('');
  const verdicts = [...state.branches.values()].map((b) => `branch ${b.id} ${b.finished ? b.finished.verdict : 'unfinished'}`);
  put(`final: ${verdicts.join(' · ')} · ${state.eventCount} events · ${plural(state.slots.size, 'slot call')} · ${plural(state.gates.size, 'test run')}`);
  return lines;
}

/** `T=0 top_k=40 n_predict=512 stop=["```"] cache_prompt seed=7`: every parameter that was set. */
function samplingLine(sampling: Sampling): string {
  const parts = [`T=${sampling.temperature}`];
  for (const key of ['top_k', 'top_p', 'min_p', 'seed', 'n_predict', 'n_probs', 'id_slot'] as const) {
    if (sampling[key] !== undefined) parts.push(`${key}=${sampling[key]}`);
  }
  if (sampling.stop?.length) parts.push(`stop=${JSON.stringify(sampling.stop)}`);
  if (sampling.grammar) parts.push(`grammar (${sampling.grammar.length} chars)`);
  if (sampling.json_schema !== undefined) parts.push('json_schema');
  parts.push(sampling.cache_prompt ? 'cache_prompt' : 'no cache_prompt');
  return parts.join(' ');
}

