import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import type { AccessScope } from './access-scope.js';
import { AccessException, AccessExceptionCode } from './access.exception.js';
import type { User, UserInput } from './models/user.model.js';
import { hashPassword, MIN_PASSWORD_LENGTH } from './password.js';
import type { RequestAccess } from './request-access.js';
import { ROLE_RULES } from './roles.js';
import { SessionsService } from './sessions.service.js';
import { type UserFields, type UserRecord, UsersRepository } from './users.repository.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const LA_CODE = /^\d{3}$/;
/** England has 153 LAs. */
const MAX_LA_CODES = 160;

/** LA administrators manage the users of their own LA; every change is audited. */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
  ) {}

  async list(scope: AccessScope): Promise<User[]> {
    scope.requireAdmin();
    return (await this.users.listForLa(scope.user.laCode)).map(toUser);
  }

  async create(access: RequestAccess, input: UserInput): Promise<User> {
    access.scope.requireAdmin();
    const fields = validate(access.scope, input);
    const passwordHash = input.password ? await hashPassword(checkPassword(input.password)) : null;
    if (await this.users.byEmail(fields.email)) {
      throw new AccessException(AccessExceptionCode.EMAIL_TAKEN, 'A user with this email address already exists.');
    }
    const user = await this.users.create(fields, { passwordHash });
    await this.audit.record(access, { action: 'user.create', outcome: 'ok', objectType: 'user', objectId: user.id, details: changes(fields) });
    return toUser(user);
  }

  async update(access: RequestAccess, id: string, input: UserInput): Promise<User> {
    access.scope.requireAdmin();
    const existing = await this.users.byId(id);
    // Another LA's user is "not found", not "forbidden": it says nothing about other LAs.
    if (!existing || existing.laCode !== access.scope.user.laCode) {
      throw new AccessException(AccessExceptionCode.USER_NOT_FOUND, 'There is no such user in your local authority.');
    }
    const fields = validate(access.scope, input);
    const other = await this.users.byEmail(fields.email);
    if (other && other.id !== id) throw new AccessException(AccessExceptionCode.EMAIL_TAKEN, 'A user with this email address already exists.');
    if (existing.id === access.scope.user.id && (fields.role !== existing.role || fields.disabled)) {
      throw new AccessException(AccessExceptionCode.USER_INVALID, 'You cannot change your own role or switch off your own account.');
    }
    const user = (await this.users.update(id, fields))!;
    // Sessions held in memory carry the user's name and email too: the next request reads them again.
    this.sessions.forgetUser(id);
    if (input.password) {
      await this.users.setPassword(id, await hashPassword(checkPassword(input.password)));
      await this.audit.record(access, { action: 'user.password', outcome: 'ok', objectType: 'user', objectId: id });
    }
    // A new role or a switched-off account takes effect now, not at the next sign-in.
    const lasChanged = [...(existing.laCodes ?? [])].sort().join() !== [...(fields.laCodes ?? [])].sort().join();
    if (fields.role !== existing.role || fields.disabled || input.password || lasChanged) await this.sessions.revokeAllOf(id);
    await this.audit.record(access, {
      action: 'user.update',
      outcome: 'ok',
      objectType: 'user',
      objectId: id,
      details: { before: changes(existing), after: changes(fields) },
    });
    return toUser(user);
  }
}

function validate(scope: AccessScope, input: UserInput): UserFields {
  const email = input.email.trim();
  const displayName = input.displayName.trim();
  const problems: string[] = [];
  if (!EMAIL.test(email) || email.length > 320) problems.push('Enter an email address in the correct format, like name@example.org.');
  if (displayName === '' || displayName.length > 200) problems.push('Enter a name of up to 200 characters.');
  const rule = ROLE_RULES[input.role];
  const urn = input.urn ?? null;
  const workerId = input.workerId?.trim() || null;
  const team = input.team?.trim() || null;
  if (rule.requires === 'urn' && (urn === null || urn <= 0)) problems.push('A school user needs the URN of their school.');
  if (rule.requires === 'worker_id' && workerId === null) problems.push('A social worker needs their worker id from the caseloads file.');
  if (rule.requires === 'team' && team === null) problems.push('A team manager needs their team, as the caseloads file names it.');
  const laCodes = rule.requires === 'la_codes' ? regionalLaCodes(input.laCodes, scope.user.laCode, problems) : [];
  if (problems.length > 0) throw new AccessException(AccessExceptionCode.USER_INVALID, problems.join(' '));
  return {
    email,
    displayName,
    role: input.role,
    laCode: scope.user.laCode,
    urn: rule.requires === 'urn' ? urn : null,
    workerId: rule.requires === 'worker_id' ? workerId : null,
    team: rule.requires === 'team' ? team : null,
    laCodes,
    disabled: input.disabled ?? false,
  };
}

/**
 * A regional user's LAs: three-digit LA numbers, each once, the administrator's own LA always
 * among them (ADR 0004: an administrator shares figures of a partnership their LA is part of).
 */
function regionalLaCodes(input: readonly string[] | null | undefined, ownLa: string, problems: string[]): string[] {
  const codes = (input ?? []).map((c) => c.trim()).filter((c) => c !== '');
  if (codes.length === 0) {
    problems.push('A regional user needs the local authorities they cover, as LA numbers like 332.');
    return [];
  }
  const bad = codes.filter((c) => !LA_CODE.test(c));
  if (bad.length > 0) problems.push(`An LA number has three digits, like 332 (not "${bad[0]!.slice(0, 10)}").`);
  const unique = [...new Set([ownLa, ...codes])].sort();
  if (unique.length > MAX_LA_CODES) problems.push(`A regional user can cover at most ${MAX_LA_CODES} local authorities.`);
  return unique;
}

function checkPassword(password: string): string {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > 1024) {
    throw new AccessException(AccessExceptionCode.USER_INVALID, `A password must have at least ${MIN_PASSWORD_LENGTH} characters.`);
  }
  return password;
}

function changes(f: UserFields | UserRecord): Record<string, unknown> {
  return { email: f.email, role: f.role, urn: f.urn, workerId: f.workerId, team: f.team, laCodes: f.laCodes ?? [], disabled: f.disabled };
}

export function toUser(u: UserRecord): User {
  return {
    id: u.id,
    email: u.email,
    displayName: u.displayName,
    role: u.role,
    laCode: u.laCode,
    laCodes: [...(u.laCodes ?? [])],
    urn: u.urn,
    workerId: u.workerId,
    team: u.team,
    disabled: u.disabled,
    signsInWith: u.oidcSubject ? 'single sign-on' : 'password',
    lastSignInAt: u.lastSignInAt,
  };
}
