import { Injectable } from '@nestjs/common';
import type { DuckDBValue } from '@duckdb/node-api';
import { WarehouseService, type WarehouseRow } from '../../warehouse/warehouse.service.js';
import { AccessScope } from './access-scope.js';

const PLACEHOLDER = /\{\{in_scope:([a-z_][a-z0-9_]*)\}\}/g;

/** A pupil-level query whose every pupil relation is filtered by `{{in_scope:alias}}`. */
export class ScopedSql {
  private constructor(readonly text: string) {}

  /**
   * Checks a `.sql` file's text at load time: it must say `{{in_scope:alias}}` at least once,
   * and must not use the scope's parameter names itself.
   */
  static of(source: string, name: string): ScopedSql {
    const aliases = [...source.matchAll(PLACEHOLDER)].map((m) => m[1]!);
    if (aliases.length === 0) throw new Error(`${name} reads pupils but has no {{in_scope:alias}} filter`);
    if (/\$scope_/.test(source)) throw new Error(`${name} must not use $scope_ parameters itself`);
    return new ScopedSql(source.replace(PLACEHOLDER, (_whole, alias: string) => AccessScope.sqlPredicate(alias)));
  }
}

/**
 * The only way to pupil-level rows in the warehouse: a {@link ScopedSql} and the request's
 * {@link AccessScope} are both required, and the scope's values are bound as parameters.
 * Roles without pupil-level access are refused before anything runs.
 */
@Injectable()
export class ScopedWarehouse {
  constructor(private readonly warehouse: WarehouseService) {}

  query(scope: AccessScope, sql: ScopedSql, params: Record<string, DuckDBValue> = {}): Promise<WarehouseRow[]> {
    const bound = scope.sqlParams();
    return this.warehouse.query(sql.text, { ...params, ...bound.values }, bound.types);
  }

  columns(scope: AccessScope, sql: ScopedSql, params: Record<string, DuckDBValue> = {}) {
    const bound = scope.sqlParams();
    return this.warehouse.queryColumns(sql.text, { ...params, ...bound.values }, bound.types);
  }
}
