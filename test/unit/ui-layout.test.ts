// The layout uses the width it is given: a third for plan and test at any width; a zoomed pane takes the whole area.

import { describe, expect, it } from 'vitest';
import { layout } from '../../src/ui/layout.js';

describe('layout', () => {
  it('gives plan and test a third of the width however wide the terminal is (no 48-column cap)', () => {
    expect([80, 120, 200].map((cols) => layout(cols, 40).panes.test.width)).toEqual([28, 41, 68]);
    const wide = layout(200, 60);
    expect(wide.panes.stream.left).toBe(68);
    expect(wide.panes.stream.width + wide.panes.plan.width).toBe(200);
  });

  it('gives a zoomed pane the whole pane area and leaves the others where they were', () => {
    const zoomed = layout(120, 40, 'test');
    expect(zoomed.panes.test).toEqual({ left: 0, top: 0, width: 120, height: 38 });
    expect(zoomed.panes.plan).toEqual(layout(120, 40).panes.plan);
  });
});
