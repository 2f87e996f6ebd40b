// What a flow program sees: slots (model calls), the gate, the parser; deterministic code around them.

import type { TestRunInfo, UnstampedEvent, Verdict } from './events.js';
import { UserError } from './errors.js';
import type { CodeParser, Completion, Workspace } from './ports.js';
import type { Check, Task } from './task.js';
import type { Sampling } from './sampling.js';

/** A model call as a flow asks for it. */
export interface SlotSpec {
  /** Stable name (breakpoints, scripted answers, probes refer to it). */
  name: string;
  /** The prompt text built from the slot's template. */
  prompt: string;
  /** Flow attempt this slot belongs to, from 1. */
  attempt: number;
  /** Sampling changes this slot needs regardless of the run's settings (e.g. a repair at temperature 0). */
  sampling?: Partial<Sampling>;
  /** The slot whose output this one repairs. */
  repairOf?: string;
}

/** What a flow asks the gate to judge; the engine adds the time limit and the cancel signal. */
export interface GateRequest {
  workspace: Workspace;
  check: Check;
  /** Default: 'oracle'. */
  judge?: 'own' | 'oracle';
}

/** What a slot returned: the model's text, or why there is none. */
export type SlotOutcome =
  | { ok: true; slotId: string; text: string; completion: Completion }
  | { ok: false; slotId: string; code: string; message: string };

/** How a flow ended, as the flow itself reports it. */
export interface FlowResult {
  verdict: Verdict;
  reason: string;
}

/** The handle a flow program runs against. Every call that touches the model or tests goes through it. */
export interface FlowContext {
  readonly task: Task;
  /** Retry budget for this run. */
  readonly attempts: number;
  readonly parser: CodeParser;
  /** The flow's options as the run set them (`repair=off`), checked against the flow's own list. */
  readonly options: Readonly<Record<string, string>>;
  /** Run one model call (may pause before it when stepping). */
  slot(spec: SlotSpec): Promise<SlotOutcome>;
  /** Run a check on a workspace; the verdict is the gate's alone. */
  gate(slotId: string, attempt: number, run: GateRequest): Promise<TestRunInfo>;
  /** Emit a flow-level event (code extracted, parse failed, repair, code applied, slot result, note). */
  emit(event: FlowEmittable): void;
}

/** Events a flow may emit itself; the engine emits the rest. */
export type FlowEmittable = Extract<
  UnstampedEvent,
  { type: 'code_extracted' | 'parse_failed' | 'repair' | 'code_applied' | 'slot_result' | 'note' }
>;

/** One option a flow takes (`--flow-opt NAME=VALUE`), so experiments are settings, not code edits. */
export interface FlowOption {
  name: string;
  description: string;
  /** The values it accepts; absent = any non-empty text the flow checks itself. */
  values?: string[];
  default: string;
}

/** A named flow program. */
export interface FlowDefinition {
  name: string;
  description: string;
  /** Slot names the flow uses, in the order they first appear (for breakpoints, probes, the plan pane). */
  slots: string[];
  /** Options the flow takes; none = it takes none. */
  options?: FlowOption[];
  run(ctx: FlowContext): Promise<FlowResult>;
}

/** The flow's options with defaults filled in; an unknown option or value is a one-line UserError naming the choices. */
export function resolveFlowOptions(flow: FlowDefinition, given: Record<string, string>): Record<string, string> {
  const known = flow.options ?? [];
  const resolved: Record<string, string> = Object.fromEntries(known.map((o) => [o.name, o.default]));
  for (const [name, value] of Object.entries(given)) {
    const option = known.find((o) => o.name === name);
    if (!option) {
      const list = known.length > 0 ? `it takes ${known.map((o) => o.name).join(', ')}` : 'it takes none';
      throw new UserError(`flow ${flow.name} has no option "${name}": ${list}`, 'flow_option');
    }
    if (option.values && !option.values.includes(value)) {
      throw new UserError(`flow option ${name} must be one of ${option.values.join(', ')}, got "${value}"`, 'flow_option');
    }
    resolved[name] = value;
  }
  return resolved;
}
