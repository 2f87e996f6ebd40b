// The flows slotbench knows, by name.

import { UserError } from '../core/errors.js';
import type { FlowDefinition } from '../core/flow.js';
import { implementFlow } from './implement.js';

const FLOWS: FlowDefinition[] = [implementFlow];

function flowNames(): string[] {
  return FLOWS.map((f) => f.name);
}

export function getFlow(name: string): FlowDefinition {
  const flow = FLOWS.find((f) => f.name === name);
  if (!flow) throw new UserError(`unknown flow "${name}": known flows are ${flowNames().join(', ')}`);
  return flow;
}
