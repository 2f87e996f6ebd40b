// `:program` shows the program the gate ran (as the judge saw it); `:write FILE [program]` exports the solution or it.

import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { oneLine, UserError } from '../../core/errors.js';
import type { Task } from '../../core/task.js';
import type { GateView } from '../../state/run-state.js';
import { branchSlots, shownBranch, shownSlot } from '../../state/selectors.js';
import { loadTask } from '../../tools/datasets.js';
import type { LineCommand, WorkbenchApi } from '../common/contracts.js';
import { gateOf } from '../common/slot-status.js';
import { plain } from '../common/text.js';
import { programLines, programText, programView, renderProgram, type ProgramVm } from '../panes/program-pane.js';

/** The gate the person looks at: the shown slot's, else the latest of the shown branch. */
function shownGate(api: WorkbenchApi): GateView | undefined {
  const slot = shownSlot(api.run, api.ui);
  const own = slot ? gateOf(api.run, slot) : undefined;
  if (own) return own;
  const branch = shownBranch(api.run, api.ui);
  return api.run.gateOrder.map((id) => api.run.gates.get(id)!).filter((g) => g.branchId === branch).at(-1);
}

/** The final solution of the shown branch: the code its last applied slot left in the file. */
function solution(api: WorkbenchApi): { file: string; code: string } | undefined {
  const last = branchSlots(api.run, shownBranch(api.run, api.ui)).filter((s) => s.applied).at(-1)?.applied;
  return last ? { file: last.file, code: last.after } : undefined;
}

/** The open problem's task (live), else the recorded one's dataset row when the file is still there. */
async function task(api: WorkbenchApi): Promise<Task | undefined> {
  const ref = api.run.header?.task;
  const where = api.feed.problem ?? (ref?.kind === 'dataset' ? { dataset: resolve(api.cwd, ref.dataset), id: ref.id } : undefined);
  if (!where) return undefined;
  try {
    return await loadTask(where.dataset, where.id);
  } catch {
    return undefined;
  }
}

async function program(api: WorkbenchApi): Promise<ProgramVm> {
  const gate = shownGate(api);
  if (!gate) throw new UserError('no test has run yet: the program appears once a gate runs (s or c)');
  return programView(api.run, gate, await task(api), 0);
}

export const PROGRAM_COMMAND: LineCommand = {
  name: 'program',
  usage: 'program',
  description: 'the program the gate ran for the shown slot, as the judge saw it (candidate, prelude, tests; or argv and files)',
  async run(_args, api) {
    const gate = shownGate(api);
    if (!gate) throw new UserError('no test has run yet: the program appears once a gate runs (s or c)');
    const loaded = await task(api);
    // Drawn from the gate as it stands, so a gate still running shows its verdict once it has one.
    const vm = () => programView(api.run, gate, loaded, 0);
    api.showPanel({
      title: `program · gate ${gate.id} · ${gate.slotId}`,
      render: ({ cols, rows, theme, scroll }) => renderProgram({ ...vm(), scroll }, { cols, rows, theme }),
      body: ({ cols, rows }) => ({ lines: programLines(vm(), cols).map(plain), rows }),
    });
  },
};

export const WRITE_COMMAND: LineCommand = {
  name: 'write',
  usage: 'write FILE [program]',
  description: "write the shown branch's final solution to FILE, or with program the program its gate ran",
  complete: (_api, args) => (args.length === 2 ? ['program'] : []),
  async run(args, api) {
    const [file, what] = args;
    if (!file || (what !== undefined && what !== 'program')) throw new UserError(':write needs FILE, or FILE program');
    const path = resolve(api.cwd, file);
    let text: string;
    if (what === 'program') text = programText(await program(api));
    else {
      const final = solution(api);
      if (!final) throw new UserError('no solution yet: no slot has applied code in this branch');
      text = final.code;
    }
    try {
      await writeFile(path, text);
    } catch (error) {
      throw new UserError(`:write: cannot write ${path}: ${oneLine(error)}`);
    }
    api.flash(`wrote ${what === 'program' ? 'the program' : 'the solution'} to ${path} (${text.split('\n').length - 1} lines)`);
  },
};
