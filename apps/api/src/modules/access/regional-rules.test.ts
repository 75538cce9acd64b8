import { describe, expect, it } from 'vitest';
import { AccessScope } from './access-scope.js';
import { Role } from './roles.js';
import { NOTHING_WITHHELD, withheld, withheldWithParts } from './suppression.js';

const user = (role: Role, laCodes: string[] = []) => ({
  id: 'u1', email: 'x@la.example', displayName: 'X', role, laCode: '332', laCodes, urn: null, workerId: null, team: null,
});

describe('a regional scope', () => {
  it("sees the figures of its LAs only, and no pupil of any", () => {
    const regional = new AccessScope(user(Role.REGIONAL, ['333', '332', '333']), { upns: ['A332000000002'] }, '2026-01-01');
    expect(regional).toMatchObject({ laCodes: ['332', '333'], wholeLa: null, urns: [], upns: [] });
    expect(() => regional.requireLa('333')).not.toThrow();
    expect(() => regional.requireLa('334')).toThrow(/partnership/);
    expect([regional.seesLa('332'), regional.seesLa(null), regional.coversLa('332'), regional.coversSchool(100001, '332')]).toEqual([true, false, false, false]);
    expect(() => regional.sqlParams()).toThrow(/groups of pupils only/);
  });

  it('ignores a list of LAs on any other role', () => {
    const officer = new AccessScope(user(Role.LA_OFFICER, ['333']), { upns: [] }, '2026-01-01');
    expect(officer.laCodes).toEqual(['332']);
    expect(() => officer.requireLa('333')).toThrow(/your own local authority/);
  });
});

describe('withholding a pool of LAs', () => {
  const counts = (enrolments: number, persistentAbsentees: number, severeAbsentees = 0) => ({ enrolments, persistentAbsentees, severeAbsentees });
  const part = (c: ReturnType<typeof counts>) => ({ counts: c, hide: withheld(c) });

  it('shows the pool when nothing withheld can be worked out from it', () => {
    const a = counts(1000, 120, 10);
    const b = counts(800, 90, 0);
    expect(withheldWithParts(counts(1800, 210, 10), [part(a), part(b)])).toEqual(NOTHING_WITHHELD);
  });

  it('withholds what the pool less the LAs shown would give away', () => {
    const a = counts(1000, 120, 3); // severe withheld
    const b = counts(800, 90, 20);
    expect(withheldWithParts(counts(1800, 210, 23), [part(a), part(b)])).toEqual({ all: false, persistent: false, severe: true });
    // A tiny LA: every figure of the pool would give it away.
    expect(withheldWithParts(counts(1002, 121, 3), [part(counts(1000, 120, 3)), part(counts(2, 1, 0))])).toEqual({ all: true, persistent: true, severe: true });
  });

  it('shows the pool when the LAs withheld add up to 5 or more', () => {
    const a = counts(1000, 3, 0);
    const b = counts(900, 4, 0);
    expect(withheldWithParts(counts(1900, 7, 0), [part(a), part(b)])).toEqual({ all: false, persistent: false, severe: false });
  });
});
