import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { Public } from '../access/access.decorators.js';
import { HealthService, type Readiness } from './health.service.js';

/** Probes answer without a session (they say nothing about data). */
@Controller()
@Public()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** Liveness: the process is serving HTTP. */
  @Get('health')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: 200 when Postgres and DuckDB answer, 503 (same body shape) otherwise. */
  @Get('ready')
  async ready(): Promise<{ status: 'ready'; checks: Readiness['checks'] }> {
    const readiness = await this.health.readiness();
    if (!readiness.ready) throw new ServiceUnavailableException({ status: 'unavailable', checks: readiness.checks });
    return { status: 'ready', checks: readiness.checks };
  }
}
