// `slotbench eval`: a dataset split through a flow into a run directory, with progress, a report, and --resume.

import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { LIMITS } from '../../core/limits.js';
import { UserError } from '../../core/errors.js';
import { resolveFlowOptions } from '../../core/flow.js';
import { renderEvalSummary, summariseEval } from '../../eval/eval-report.js';
import { latestRows, outcomeOf, rowKey } from '../../eval/eval-row.js';
import { runEval } from '../../eval/eval-runner.js';
import { buildManifest, fingerprintDiff, type Manifest } from '../../eval/manifest.js';
import { createRunDir, readRunDir } from '../../eval/run-dir.js';
import { selectTasks } from '../../eval/selection.js';
import { getFlow } from '../../flows/index.js';
import { ServerPool } from '../../model/server-pool.js';
import { resolvePython } from '../../tools/python.js';
import { loadTasks } from '../../tools/datasets.js';
import { safeJson, stripControl } from '../../text/sanitize.js';
import { EVAL_SPEC } from '../command-specs.js';
import { evalProgress } from '../eval-progress.js';
import { NOT_JUDGED_EXIT } from '../exit-codes.js';
import { INTERRUPTED_EXIT, interruptScope } from '../interrupts.js';
import { printWarnings, type Command } from '../io.js';
import { parseCommand, type Values } from '../options.js';
import { progressPrinter } from '../plain-progress.js';
import { numberOption } from '../numbers.js';
import { datasetPath, flowOptions, requireHealthy, runSettings, timeoutOption, wireModels, wireTools } from '../wiring.js';

type EvalValues = Values<typeof EVAL_SPEC.options>;

export const evalCommand: Command = async (argv, io) => {
  const { values } = parseCommand(EVAL_SPEC, argv);
  const out = values.json ? io.stderr : io.stdout;
  const previous = values.resume !== undefined ? readRunDir(resolve(io.cwd, values.resume)) : undefined;
  if (!previous && values.dataset === undefined) throw new UserError('eval needs --dataset (or --resume DIR to continue an eval)', 'usage');
  printWarnings(io, previous?.warnings ?? []);
  const wanted = previous ? settingsOf(previous.manifest, values) : values;

  const wiring = await wireModels(wanted, io.cwd, progressPrinter(out));
  const flow = getFlow(wanted.flow ?? 'implement');
  const flowOpts = flowOptions(wanted['flow-opt']);
  const options = resolveFlowOptions(flow, flowOpts.options);
  const { sampling, attempts } = runSettings({ ...wanted, attempts: wanted.attempts ?? flowOpts.attempts }, wiring.sampling);
  const repeat = numberOption(wanted.repeat ?? '1', '--repeat', LIMITS.evalRepeat)!;
  const maxRetries = numberOption(wanted['max-retries'] ?? '2', '--max-retries', LIMITS.retries)!;
  const timeoutMs = timeoutOption(wanted['timeout-ms']);
  const limit = numberOption(wanted.limit, '--limit', LIMITS.count);
  const split = wanted.split ?? 'all';
  if (split !== 'tuned' && split !== 'heldout' && split !== 'all') throw new UserError(`--split must be tuned, heldout or all, got "${stripControl(split)}"`, 'usage');

  const dataset = datasetPath(wanted.dataset!, wiring.config, io.cwd);
  const all = await loadTasks(dataset);
  const picked = previous
    ? selectTasks(all.filter((t) => previous.manifest.selection.problemIds.includes(t.ref.id)), { split: 'all' })
    : selectTasks(all, { split, ...(limit !== undefined ? { limit } : {}), ...(wanted.ids !== undefined ? { idsFile: resolve(io.cwd, wanted.ids) } : {}) });

  const model = wiring.models.get(wiring.modelName);
  await requireHealthy(model);
  const info = await model.info();
  const tools = await wireTools(wanted, wiring.config.gate);
  const python = await resolvePython(io.env);
  const parallel = Math.max(1, Math.min(wiring.config.models[wiring.modelName]?.maxParallel ?? Infinity, info.totalSlots ?? model.maxParallel, model.maxParallel));
  const manifest = await buildManifest({
    datasetPath: dataset,
    selection: previous ? previous.manifest.selection : picked.selection,
    repeat,
    flow: flow.name,
    flowOptions: options,
    attempts,
    model: model.identity,
    info,
    ...(model instanceof ServerPool ? { servers: await model.memberInfo() } : {}),
    ...(wiring.label ? { label: wiring.label } : {}),
    sampling,
    gate: { timeoutMs: timeoutMs ?? wiring.gateTimeoutMs, sandbox: sandboxOf(tools.gate), python: python.version },
    parallel,
  });

  const dir = previous?.path ?? resolve(io.cwd, values.out ?? defaultOut(io.cwd, dataset, wiring.modelName));
  if (previous) refuseChangedFingerprint(previous.manifest, manifest, dir);
  else createRunDir(dir, manifest);
  const done = new Set(latestRows(previous?.rows ?? []).filter((r) => outcomeOf(r) !== 'error').map(rowKey));

  const total = picked.tasks.length * repeat;
  out.write(`eval ${flow.name} on ${picked.tasks.length} problems × ${repeat} with ${wiring.modelName}${wiring.label ? ` [${wiring.label}]` : ''}, ${parallel} at a time → ${dir}\n`);
  if (previous) out.write(`resuming: ${done.size} of ${total} runs already have a result\n`);
  const progress = evalProgress(out, total, done.size);
  const interrupt = interruptScope();
  const outcome = await runEval({
    dir,
    tasks: picked.tasks,
    repeat,
    flow,
    flowOptions: options,
    models: wiring.models,
    model: wiring.modelName,
    ...(wiring.label ? { label: wiring.label } : {}),
    sampling,
    attempts,
    gateTimeoutMs: timeoutMs ?? wiring.gateTimeoutMs,
    tools,
    parallel,
    done,
    maxRetries,
    signal: interrupt.signal,
    healthCheck: async () => {
      const now = await model.info().catch((error: unknown) => ({ healthy: false, status: String(error) }));
      return now.healthy ? undefined : `model ${wiring.modelName} stopped answering: ${now.status}`;
    },
    onRow: progress.row,
  }).finally(() => {
    interrupt.dispose();
    progress.done();
  });

  const rows = readRunDir(dir).rows;
  const summary = summariseEval(dir, manifest, rows);
  if (values.json) io.stdout.write(safeJson({ ...summary, fingerprint: manifest.fingerprint, stopped: outcome.stopReason ?? null }) + '\n');
  else io.stdout.write(['', ...renderEvalSummary(summary, manifest)].join('\n') + '\n');
  if (interrupt.signal.aborted) {
    out.write(`${String(interrupt.signal.reason)}: ${summary.done} of ${total} runs done; continue with slotbench eval --resume ${dir}\n`);
    return INTERRUPTED_EXIT;
  }
  if (outcome.stopReason) {
    out.write(`stopped: ${stripControl(outcome.stopReason)}; continue with slotbench eval --resume ${dir}\n`);
    return NOT_JUDGED_EXIT;
  }
  return 0;
};

/**
 * On --resume the manifest says what ran; the command line may only repeat the model choice (a scripted model's
 * file, a config), never change a setting.
 */
function settingsOf(manifest: Manifest, values: EvalValues): EvalValues {
  const changed = (['dataset', 'split', 'ids', 'limit', 'flow', 'temperature', 'seed', 'attempts', 'repeat', 'timeout-ms', 'n-probs'] as const).filter(
    (k) => values[k] !== undefined,
  );
  if (changed.length > 0 || values['flow-opt'].length > 0 || values.out !== undefined) {
    const named = [...changed, ...(values['flow-opt'].length > 0 ? ['flow-opt'] : []), ...(values.out !== undefined ? ['out'] : [])];
    throw new UserError(`--resume takes its settings from the run's manifest: drop --${named.join(', --')} (or start a new eval)`, 'usage');
  }
  if (manifest.model.kind === 'scripted' && values['model-script'] === undefined) {
    throw new UserError('this eval ran on the scripted test double: pass --model-script FILE again to resume it', 'usage');
  }
  return {
    ...values,
    dataset: manifest.dataset.path,
    flow: manifest.flow.name,
    'flow-opt': Object.entries(manifest.flow.options).map(([k, v]) => `${k}=${v}`),
    temperature: String(manifest.sampling.temperature),
    ...(manifest.sampling.seed !== undefined ? { seed: String(manifest.sampling.seed) } : {}),
    ...(manifest.sampling.n_probs !== undefined ? { 'n-probs': String(manifest.sampling.n_probs) } : {}),
    attempts: String(manifest.attempts),
    repeat: String(manifest.repeat),
    'timeout-ms': String(manifest.gate.timeoutMs),
    ...(values.model === undefined && manifest.model.kind !== 'scripted' && manifest.model.kind !== 'embedded' ? { model: manifest.model.name } : {}),
    ...(values.sandbox === undefined ? { sandbox: manifest.gate.sandbox } : {}),
  };
}

function refuseChangedFingerprint(before: Manifest, now: Manifest, dir: string): void {
  const diff = fingerprintDiff(before.fingerprint, now.fingerprint);
  if (diff.length === 0) return;
  const list = diff.map((d) => `${d.key}: ${stripControl(d.a)} → ${stripControl(d.b)}`).join('; ');
  throw new UserError(`cannot resume ${dir}: its fingerprint differs (${list}); results would not be comparable, so start a new eval`, 'fingerprint');
}

function sandboxOf(gate: object): string {
  return 'sandbox' in gate && typeof gate.sandbox === 'string' ? gate.sandbox : 'unknown';
}

/** `./evals/20261129-1830-humaneval-qwen`, in a folder kept out of version control. */
function defaultOut(cwd: string, dataset: string, model: string): string {
  const dir = join(cwd, 'evals');
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '.gitignore'), '# eval run directories are local results, not sources\n*\n');
  }
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 13);
  const slug = (text: string) => text.toLowerCase().replace(/\.jsonl(\.gz)?$|\.json$/, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40);
  return join(dir, `${stamp}-${slug(basename(dataset))}-${slug(model)}`);
}
