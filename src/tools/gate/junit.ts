// Reads a JUnit XML report (pytest's `--junitxml`) into per-test outcomes, and says whether the report is whole.

import type { TestOutcome } from '../../core/events.js';

/** A report as read: the outcomes in file order, and whether every element it opened was closed. */
export interface JunitReport {
  tests: TestOutcome[];
  complete: boolean;
}

const TAG = /<(\/?)(testsuites|testsuite|testcase|failure|error|skipped)\b((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/g;
const ATTRIBUTE = /([\w:.-]+)\s*=\s*("([^"]*)"|'([^']*)')/g;
// A test's outcome is the worst thing reported for it: an error in setup or teardown outranks a failure.
const RANK: Record<TestOutcome['outcome'], number> = { passed: 0, skipped: 1, failed: 2, error: 3 };

/** Parse `xml`; ids are `classname::name`, as CommandCheck lists name them. Never throws: junk reads as incomplete. */
export function parseJunit(xml: string): JunitReport {
  const tests: TestOutcome[] = [];
  const open: string[] = [];
  let current: TestOutcome | undefined;
  let sawSuite = false;
  let wellNested = true;
  for (const match of xml.matchAll(TAG)) {
    const [, closing, name, rawAttributes, selfClosing] = match;
    if (closing) {
      if (open.pop() !== name) wellNested = false;
      if (name === 'testcase') current = undefined;
      continue;
    }
    const attributes = parseAttributes(rawAttributes);
    if (name === 'testsuite') sawSuite = true;
    if (name === 'testcase') {
      current = { id: `${attributes.classname ?? ''}::${attributes.name ?? ''}`, outcome: 'passed' };
      tests.push(current);
    } else if (current && name !== 'testsuite' && name !== 'testsuites') {
      const outcome = name === 'failure' ? 'failed' : name;
      if (RANK[outcome as TestOutcome['outcome']] > RANK[current.outcome]) {
        current.outcome = outcome as TestOutcome['outcome'];
        const message = (attributes.message ?? '').split('\n')[0].trim();
        if (message && outcome !== 'skipped') current.message = message.slice(0, 500);
        else delete current.message;
      }
    }
    if (!selfClosing) open.push(name);
    else if (name === 'testcase') current = undefined;
  }
  return { tests, complete: sawSuite && wellNested && open.length === 0 };
}

function parseAttributes(raw: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [, key, , doubleQuoted, singleQuoted] of raw.matchAll(ATTRIBUTE)) attributes[key] = unescapeXml(doubleQuoted ?? singleQuoted ?? '');
  return attributes;
}

function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot|apos);/gi, (_, entity: string) => {
    const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
    if (entity[0] !== '#') return named[entity.toLowerCase()];
    const code = entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : '';
  });
}
