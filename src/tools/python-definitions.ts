// Where each function, class and method of a Python module starts and ends, so flows splice code by range.

import type { Node } from 'web-tree-sitter';
import type { Definition } from '../core/ports.js';

/** Every top-level function and class, and the methods of classes (nested to any depth), in source order. */
export function definitionsOf(root: Node): Definition[] {
  const found: Definition[] = [];
  const visit = (block: Node, owner: string | undefined) => {
    for (const child of block.namedChildren) {
      if (!child) continue;
      const definition = child.type === 'decorated_definition' ? child.childForFieldName('definition') : child;
      if (!definition || (definition.type !== 'function_definition' && definition.type !== 'class_definition')) continue;
      const name = definition.childForFieldName('name')?.text;
      if (!name) continue;
      const qualified = owner ? `${owner}.${name}` : name;
      const isClass = definition.type === 'class_definition';
      found.push({
        name: qualified,
        kind: isClass ? 'class' : owner ? 'method' : 'function',
        start: child.startIndex,
        end: child.endIndex,
        line: definition.startPosition.row + 1,
      });
      const body = definition.childForFieldName('body');
      if (isClass && body) visit(body, qualified);
    }
  };
  visit(root, undefined);
  return found;
}
