import { Injectable } from '@nestjs/common';
import { readSql } from '../../common/sql.js';
import { WarehouseService } from '../../warehouse/warehouse.service.js';
import { AccessScope, type SignedInUser } from './access-scope.js';

const sql = {
  caseloadChildren: readSql('modules', 'access', 'sql', 'caseload-children.sql'),
  childrenInCare: readSql('modules', 'access', 'sql', 'children-in-care.sql'),
};

/** Today in UTC, `YYYY-MM-DD` (attendance is all dates; the API runs in UTC). */
export function utcToday(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/**
 * Builds the {@link AccessScope} of a request: the role's rules plus, for the social care roles,
 * the children they hold today, read from the caseloads and child status in the warehouse.
 */
@Injectable()
export class ScopeFactory {
  constructor(private readonly warehouse: WarehouseService) {}

  async build(user: SignedInUser, today: string = utcToday()): Promise<AccessScope> {
    return new AccessScope(user, { upns: await this.children(user, today) }, today);
  }

  private async children(user: SignedInUser, today: string): Promise<string[]> {
    const base = { la_code: user.laCode, today };
    let rows;
    switch (user.role) {
      case 'social_worker':
        rows = await this.warehouse.query(sql.caseloadChildren, { ...base, worker_id: user.workerId, team: null });
        break;
      case 'team_manager':
        rows = await this.warehouse.query(sql.caseloadChildren, { ...base, worker_id: null, team: user.team });
        break;
      case 'virtual_school':
        rows = await this.warehouse.query(sql.childrenInCare, base);
        break;
      default:
        return [];
    }
    return rows.map((row) => String(row.upn));
  }
}
