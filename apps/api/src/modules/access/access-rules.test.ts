import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config.js';
import { AccessScope } from './access-scope.js';
import { roleFromClaims, safeReturnTo } from './oidc.service.js';
import { Role } from './roles.js';
import { withheld } from './suppression.js';

const user = (role: Role, extra: Partial<ConstructorParameters<typeof AccessScope>[0]> = {}) => ({
  id: 'u1', email: 'x@la.example', displayName: 'X', role, laCode: '332', urn: null, workerId: null, team: null, ...extra,
});

describe('AccessScope', () => {
  it('reaches the LA, a school or a list of children according to the role', () => {
    const children = { upns: ['a332000000002', 'A332000000002', 'B332000000002'] };
    expect(new AccessScope(user(Role.LA_OFFICER), children, '2026-01-01')).toMatchObject({ wholeLa: '332', urns: [], upns: [] });
    expect(new AccessScope(user(Role.SCHOOL_USER, { urn: 100001 }), children, '2026-01-01')).toMatchObject({ wholeLa: null, urns: [100001], upns: [] });
    expect(new AccessScope(user(Role.SOCIAL_WORKER, { workerId: 'SW1' }), children, '2026-01-01')).toMatchObject({
      wholeLa: null,
      urns: [],
      upns: ['A332000000002', 'B332000000002'],
    });
    const analyst = new AccessScope(user(Role.ANALYST), children, '2026-01-01');
    expect(analyst.upns).toEqual([]);
    expect(() => analyst.sqlParams()).toThrow(/groups of pupils only/);
  });

  it('suppresses aggregates unless it covers every pupil behind them', () => {
    const school = new AccessScope(user(Role.SCHOOL_USER, { urn: 100001 }), { upns: [] }, '2026-01-01');
    expect([school.coversLa('332'), school.coversSchool(100001, '332'), school.coversSchool(100002, '332')]).toEqual([false, true, false]);
    const officer = new AccessScope(user(Role.LA_OFFICER), { upns: [] }, '2026-01-01');
    expect([officer.coversLa('332'), officer.coversSchool(100002, '332'), officer.coversSchool(200001, '999')]).toEqual([true, true, false]);
    expect(() => officer.requireLa('999')).toThrow(/your own local authority/);
  });

  it('builds its SQL filter from an alias only, never from values', () => {
    expect(AccessScope.sqlPredicate('e')).toBe(
      '(e.la_code = $scope_la OR e.urn IN (SELECT unnest($scope_urns)) OR upper(e.upn) IN (SELECT unnest($scope_upns)))',
    );
    expect(() => AccessScope.sqlPredicate("e'; DROP")).toThrow(/Not a SQL alias/);
  });
});

describe('small-number suppression', () => {
  it.each([
    [{ enrolments: 0, persistentAbsentees: 0, severeAbsentees: 0 }, { all: false, persistent: false, severe: false }],
    [{ enrolments: 4, persistentAbsentees: 0, severeAbsentees: 0 }, { all: true, persistent: true, severe: true }],
    [{ enrolments: 5, persistentAbsentees: 1, severeAbsentees: 0 }, { all: false, persistent: true, severe: false }],
    [{ enrolments: 50, persistentAbsentees: 5, severeAbsentees: 4 }, { all: false, persistent: false, severe: true }],
  ])('%o → %o', (counts, expected) => {
    expect(withheld(counts)).toEqual(expected);
  });
});

describe('OIDC helpers', () => {
  const config = loadConfig({
    OIDC_ISSUER: 'https://login.example/tenant/v2.0',
    OIDC_CLIENT_ID: 'rollbook',
    OIDC_LA_CODE: '332',
    OIDC_ROLE_MAP: 'Rollbook.Admin=la_admin, Rollbook.Officer=la_officer,Rollbook.School=school_user',
  }).auth.oidc!;

  it('maps claim values to roles, first listed wins, strings or arrays', () => {
    expect(roleFromClaims(config, { roles: ['Rollbook.Officer', 'Rollbook.Admin'] })).toBe(Role.LA_ADMIN);
    expect(roleFromClaims(config, { roles: 'Rollbook.School' })).toBe(Role.SCHOOL_USER);
    expect(roleFromClaims(config, { roles: ['Something.Else'] })).toBeNull();
    expect(roleFromClaims(config, {})).toBeNull();
  });

  it('reads its configuration, listing every bad key', () => {
    expect(config).toMatchObject({ clientId: 'rollbook', laCode: '332', roleClaim: 'roles', scopes: 'openid email profile' });
    expect(config.roleMap).toHaveLength(3);
    expect(() => loadConfig({ OIDC_ISSUER: 'http://idp.example' })).toThrow(
      /OIDC_ISSUER must be an https:\/\/ URL.*OIDC_CLIENT_ID is needed.*OIDC_LA_CODE must be.*OIDC_ROLE_MAP needs/,
    );
    expect(() => loadConfig({ OIDC_ISSUER: 'http://127.0.0.1:9/', OIDC_CLIENT_ID: 'x', OIDC_LA_CODE: '332', OIDC_ROLE_MAP: 'a=superuser' })).toThrow(
      /"a=superuser" is not claim-value=role/,
    );
  });

  it('returns only to a path of the portal', () => {
    expect(safeReturnTo('/schools/100001/pupils?year=2024/25')).toBe('/schools/100001/pupils?year=2024/25');
    for (const bad of ['//evil.example', 'https://evil.example', '/\\evil.example', 'javascript:alert(1)', 42]) {
      expect(safeReturnTo(bad)).toBe('/');
    }
  });
});
