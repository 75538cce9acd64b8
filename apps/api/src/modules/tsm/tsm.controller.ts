import { Controller, Get, Header, Param, ParseIntPipe, Res, StreamableFile } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentAccess } from '../access/access.decorators.js';
import type { RequestAccess } from '../access/request-access.js';
import { TsmException, TsmExceptionCode } from './tsm.exception.js';
import { renderTsmPackPdf } from './tsm-pdf.js';
import { comparisonsCsv, packCsv, packXlsx } from './tsm-tables.js';
import { TsmService } from './tsm.service.js';

const FORMATS = {
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
} as const;

/**
 * `GET /exports/tsm/:urn/:year/:term.(pdf|xlsx|csv)` — the pack, `year` as `2024-25`; and
 * `:term-comparisons.csv` — the school against similar schools, the LA and England (audited as exports).
 */
@Controller()
export class TsmController {
  constructor(private readonly tsm: TsmService) {}

  @Get('exports/tsm/:urn/:year/:file')
  @Header('cache-control', 'private, no-store')
  async pack(
    @CurrentAccess() access: RequestAccess,
    @Param('urn', ParseIntPipe) urn: number,
    @Param('year') year: string,
    @Param('file') file: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const m = /^(autumn|spring|summer)(-comparisons\.csv|\.pdf|\.xlsx|\.csv)$/.exec(file);
    if (!m || !/^\d{4}-\d{2}$/.test(year)) throw new TsmException(TsmExceptionCode.TERM_INVALID, 'Ask for …/2024-25/spring.pdf, .xlsx, .csv or spring-comparisons.csv.');
    const term = m[1]!;
    const comparisons = m[2] === '-comparisons.csv';
    const format = (comparisons ? 'csv' : m[2]!.slice(1)) as keyof typeof FORMATS;
    const pack = await this.tsm.pack(access, { urn, academicYear: year.replace('-', '/'), term }, 'tsm.pack.export');
    const body =
      format === 'pdf' ? await renderTsmPackPdf(pack) : format === 'xlsx' ? await packXlsx(pack) : Buffer.from(comparisons ? comparisonsCsv(pack) : packCsv(pack), 'utf8');
    res.setHeader('content-type', FORMATS[format]);
    res.setHeader('content-disposition', `attachment; filename="tsm-${urn}-${year}-${term}${comparisons ? '-comparisons' : ''}.${format}"`);
    return new StreamableFile(body);
  }
}
