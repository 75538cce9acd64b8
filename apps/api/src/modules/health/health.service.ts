import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../../database/database.service.js';
import { WarehouseService } from '../../warehouse/warehouse.service.js';

export interface Readiness {
  ready: boolean;
  checks: { postgres: 'up' | 'down'; warehouse: 'up' | 'down' };
}

@Injectable()
export class HealthService {
  constructor(
    private readonly database: DatabaseService,
    private readonly warehouse: WarehouseService,
  ) {}

  /** Ready when Postgres and DuckDB both answer a trivial query. */
  async readiness(): Promise<Readiness> {
    const [postgres, warehouse] = await Promise.all([this.database.ping(), this.warehouse.ping()]);
    return {
      ready: postgres && warehouse,
      checks: { postgres: postgres ? 'up' : 'down', warehouse: warehouse ? 'up' : 'down' },
    };
  }
}
