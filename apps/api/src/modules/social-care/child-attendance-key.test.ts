import { describe, expect, it } from 'vitest';
import { childAttendanceKey, type ScopeRows } from './child-attendance-key.js';

const CHILD = 'A123456789012';
const OTHER = 'B123456789012';
const scope = (over: Partial<ScopeRows>): ScopeRows => ({ user: { laCode: '332' }, today: '2025-03-03', wholeLa: null, urns: [], upns: [], ...over });
const key = (s: ScopeRows, onRoll = true, upns = [CHILD]) => childAttendanceKey(s, '2024/25', new Map(upns.map((u) => [u, onRoll])));

describe('childAttendanceKey', () => {
  it('is shared by everyone who holds the child, whoever they are and whatever else they hold', () => {
    expect(key(scope({ upns: [CHILD] }))).toBe(key(scope({ upns: [CHILD, OTHER] })));
    expect(key(scope({ upns: [CHILD], wholeLa: '332' }))).toBe(key(scope({ upns: [CHILD] })));
  });

  it('differs when the scope sees other rows of the child, or other children, day, year, LA or roll', () => {
    const held = key(scope({ upns: [CHILD] }));
    const officer = key(scope({ wholeLa: '332' }));
    const school = key(scope({ urns: [100001] }));
    expect(new Set([held, officer, school, key(scope({ urns: [100002] })), key(scope({ wholeLa: '333' }))]).size).toBe(5);
    expect(key(scope({ upns: [CHILD] }), false)).not.toBe(held);
    expect(key(scope({ upns: [CHILD] }), true, [CHILD, OTHER])).not.toBe(held);
    expect(key(scope({ upns: [CHILD], today: '2025-03-04' }))).not.toBe(held);
    expect(key(scope({ upns: [CHILD], user: { laCode: '333' } }))).not.toBe(held);
    expect(childAttendanceKey(scope({ upns: [CHILD] }), '2023/24', new Map([[CHILD, true]]))).not.toBe(held);
  });
});
