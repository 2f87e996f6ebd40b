// Prompt templates of the implement flow's slots: small, bounded, one job each.

/** Stop generation when the model closes the code block it was asked to continue. */
export const CODE_BLOCK_STOP = ['\n```'];

/** Ask for the function body, continuing the stub inside an open code block (what small models do best). */
export function implementPrompt(stub: string, feedback?: string): string {
  const retry = feedback
    ? `A previous attempt failed its tests with this output:\n\`\`\`\n${feedback}\n\`\`\`\nWrite a corrected implementation.\n\n`
    : '';
  return (
    `Complete the Python function below so that it is correct. Keep the signature. ` +
    `Write only code inside the block.\n\n${retry}\`\`\`python\n${stub.trimEnd()}\n`
  );
}

/** Ask to fix indentation only; the engine rejects the answer if any token other than whitespace changed. */
export function reindentPrompt(code: string, errorLine: number): string {
  return (
    `The Python code below does not parse (near line ${errorLine}) because its indentation is wrong. ` +
    `Rewrite it with correct indentation. Change only whitespace at the start of lines: ` +
    `do not change, add or remove any other character.\n\n\`\`\`python\n${code.trimEnd()}\n\`\`\`\n\n` +
    `Fixed code:\n\`\`\`python\n`
  );
}
