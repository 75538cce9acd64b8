import { Injectable } from '@nestjs/common';
import type { AccessScope } from '../access/access-scope.js';
import { ScopedSql, ScopedWarehouse } from '../access/scoped-warehouse.js';
import { readSql } from '../../common/sql.js';
import { WarehouseService, type WarehouseRow } from '../../warehouse/warehouse.service.js';

const scoped = (file: string) => ScopedSql.of(readSql('modules', 'pupils', 'sql', file), file);

const sql = {
  schoolPupils: scoped('school-pupils.sql'),
  pupilTerms: scoped('pupil-terms.sql'),
  pupilDetails: scoped('pupil-details.sql'),
  enrolmentRows: scoped('enrolment-rows.sql'),
  // No pupil data in these two: the years loaded, and a school's name.
  academicYears: readSql('modules', 'attendance', 'sql', 'academic-years.sql'),
  schoolName: readSql('modules', 'pupils', 'sql', 'school-name.sql'),
};

/** Pupil-level reads. Every method that returns pupils takes the request's scope. */
@Injectable()
export class PupilsRepository {
  constructor(
    private readonly scoped: ScopedWarehouse,
    private readonly warehouse: WarehouseService,
  ) {}

  async academicYears(): Promise<string[]> {
    return (await this.warehouse.query(sql.academicYears)).map((r) => String(r.academic_year));
  }

  async school(urn: number): Promise<{ name: string | null; laCode: string | null }> {
    const [row] = await this.warehouse.query(sql.schoolName, { urn });
    return { name: row?.name == null ? null : String(row.name), laCode: row?.la_code == null ? null : String(row.la_code) };
  }

  schoolPupils(scope: AccessScope, args: { urn: number; academicYear: string; metricScope: string }): Promise<WarehouseRow[]> {
    return this.scoped.query(scope, sql.schoolPupils, { urn: args.urn, academic_year: args.academicYear, metric_scope: args.metricScope });
  }

  pupilTerms(scope: AccessScope, upn: string): Promise<WarehouseRow[]> {
    return this.scoped.query(scope, sql.pupilTerms, { upn });
  }

  async pupilDetails(scope: AccessScope, upn: string): Promise<WarehouseRow | null> {
    return (await this.scoped.query(scope, sql.pupilDetails, { upn }))[0] ?? null;
  }

  enrolmentColumns(scope: AccessScope, args: { academicYear: string; urn: number | null }) {
    return this.scoped.columns(scope, sql.enrolmentRows, { academic_year: args.academicYear, urn: args.urn });
  }
}
