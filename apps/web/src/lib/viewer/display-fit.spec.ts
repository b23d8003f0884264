import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fitPage, MAX_MAGNIFICATION, visiblePart } from './display-fit.ts';

const A4 = 842 / 595;
/** The sheet's area on a 1920×1080 wall screen, less the head and the side column. */
const AREA = { width: 1440, height: 900 };

describe('the shown page on the wall screen', () => {
  test('with no region the whole page fits the area, centred', () => {
    const box = fitPage({ area: AREA, aspect: A4, focus: null, margin: 20 });
    assert.ok(box);
    assert.equal(box.height, 860);
    assert.equal(box.width, Math.round(860 / A4));
    assert.equal(box.top, 20);
    assert.equal(box.left, Math.round((AREA.width - box.width) / 2));
    assert.deepEqual(visiblePart(AREA, box), { left: 0, top: 0, width: box.width, height: box.height });
  });

  test('a marked region fills the area, inside it; only the part on screen is drawn', () => {
    const focus = { x: 0.1, y: 0.12, w: 0.8, h: 0.28 };
    const box = fitPage({ area: AREA, aspect: A4, focus, margin: 20 });
    assert.ok(box);
    const region = { left: box.left + focus.x * box.width, top: box.top + focus.y * box.height, width: focus.w * box.width, height: focus.h * box.height };
    // As wide as the area allows (the region is wider than the area's shape).
    assert.ok(Math.abs(region.width - (AREA.width - 40)) <= 1, `region ${region.width} px wide`);
    assert.ok(region.left >= 19 && region.top >= 0 && region.left + region.width <= AREA.width - 19 && region.top + region.height <= AREA.height);
    const part = visiblePart(AREA, box);
    assert.ok(part && part.width <= AREA.width && part.height <= AREA.height);
    assert.equal(part.left, -box.left);
  });

  test('a region at the edge of a page leaves no empty band at that edge, and stays on screen', () => {
    const focus = { x: 0.7, y: 0.8, w: 0.3, h: 0.2 };
    const box = fitPage({ area: AREA, aspect: A4, focus, margin: 20 });
    assert.ok(box);
    assert.equal(box.left + box.width, AREA.width);
    assert.equal(box.top + box.height, AREA.height);
    assert.ok(box.left + focus.x * box.width >= 0 && box.top + focus.y * box.height >= 0);
  });

  test('a tiny region is magnified only so far', () => {
    const whole = fitPage({ area: AREA, aspect: A4, focus: null, margin: 20 })!;
    const box = fitPage({ area: AREA, aspect: A4, focus: { x: 0.5, y: 0.5, w: 0.01, h: 0.01 }, margin: 20 })!;
    assert.ok(Math.abs(box.width - whole.width * MAX_MAGNIFICATION) <= MAX_MAGNIFICATION, `${box.width} px wide`);
  });

  test('nothing is placed before the area and the page are measured', () => {
    assert.equal(fitPage({ area: { width: 0, height: 900 }, aspect: A4, focus: null, margin: 20 }), null);
    assert.equal(fitPage({ area: AREA, aspect: 0, focus: null, margin: 20 }), null);
  });
});
