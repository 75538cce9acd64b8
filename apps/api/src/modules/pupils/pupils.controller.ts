import { Controller, Get, Header, Param, ParseIntPipe, Query, Res, StreamableFile } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentAccess } from '../access/access.decorators.js';
import type { RequestAccess } from '../access/request-access.js';
import { MetricScope } from '../attendance/models/metric-scope.enum.js';
import { PupilsException, PupilsExceptionCode } from './pupils.exception.js';
import { PupilsService } from './pupils.service.js';

function metricScope(value: unknown): MetricScope {
  if (value === undefined || value === '' || value === 'operational') return MetricScope.OPERATIONAL;
  if (value === 'dfe') return MetricScope.DFE;
  throw new PupilsException(PupilsExceptionCode.SCOPE_INVALID, 'scope must be dfe or operational.');
}

function optionalText(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Downloads of pupil-level data (CSV for people, Arrow for tools), through the same scope. */
@Controller()
export class PupilsController {
  constructor(private readonly pupils: PupilsService) {}

  /** `GET /exports/schools/:urn/pupils.csv?academicYear=2024/25&scope=operational` */
  @Get('exports/schools/:urn/pupils.csv')
  @Header('cache-control', 'private, no-store')
  async schoolPupilsCsv(
    @CurrentAccess() access: RequestAccess,
    @Param('urn', ParseIntPipe) urn: number,
    @Query('academicYear') academicYear: unknown,
    @Query('scope') scope: unknown,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const { csv, filename } = await this.pupils.schoolPupilsCsv(access, { urn, academicYear: optionalText(academicYear), scope: metricScope(scope) });
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="${filename}"`);
    return csv;
  }

  /** `GET /bulk/enrolments.arrow?academicYear=2024/25[&urn=…]`: enrolment × term rows as an Arrow IPC stream. */
  @Get('bulk/enrolments.arrow')
  @Header('cache-control', 'private, no-store')
  async enrolmentsArrow(
    @CurrentAccess() access: RequestAccess,
    @Query('academicYear') academicYear: unknown,
    @Query('urn') urn: unknown,
  ): Promise<StreamableFile> {
    const parsedUrn = optionalText(urn);
    if (parsedUrn !== null && !/^\d{1,9}$/.test(parsedUrn)) throw new PupilsException(PupilsExceptionCode.URN_INVALID, 'A URN is a whole number.');
    const bytes = await this.pupils.enrolmentsArrow(access, {
      academicYear: optionalText(academicYear),
      urn: parsedUrn === null ? null : Number(parsedUrn),
    });
    return new StreamableFile(bytes, { type: 'application/vnd.apache.arrow.stream', disposition: 'attachment; filename="enrolments.arrow"' });
  }
}
