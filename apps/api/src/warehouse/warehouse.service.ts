import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { type DuckDBConnection, DuckDBInstance, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import path from 'node:path';
import { persistentSql, severeSql } from '@rollbook/metrics';
import { readSql, sqlString } from '../common/sql.js';
import { currentWarehouseVersion, ResultCache, type VersionSources } from './result-cache.js';
import { WarehouseError } from './warehouse.errors.js';

export interface WarehouseOptions {
  /** The Rollbook data folder; marts are read from `<dataDir>/marts`. */
  dataDir: string;
  /** Keep query results until the warehouse on disk changes (default true). */
  cacheResults?: boolean;
  /** DuckDB connections kept open and queries run at once (default 4: Node's I/O thread pool). */
  connections?: number;
  /** Queries slower than this are logged by their first line, never their parameters (default 2000 ms). */
  slowQueryMs?: number;
}

/** A result row with every BIGINT/HUGEINT already converted to a JS number. */
export type WarehouseRow = Record<string, string | number | boolean | null | unknown>;

interface MartView {
  name: string;
  glob: string;
  create: string;
  createEmpty: string;
}

/** Errors after which the views are rebuilt once: files gone, or columns changed by a load. */
const STALE_VIEW = /No files found that match the pattern|Contents of view were altered|Binder Error/;

/**
 * One in-memory DuckDB per process with views over the mart Parquet globs (ADR 0002). A glob is
 * expanded on each query, so partitions written by a later load are seen. While a mart has no
 * file yet its view is an empty stand-in with the same columns, retried before every query.
 */
export class WarehouseService implements OnApplicationShutdown {
  private static readonly logger = new Logger('Warehouse');
  private readonly missing = new Set<string>();
  private refreshing: Promise<void> | undefined;
  private closed = false;
  private readonly cache = new ResultCache<WarehouseRow>({ maxEntries: 500, maxRows: 500_000 });
  // One row per remembered value: room for every school page of a few LAs (the benchmarks warm-up).
  private readonly memo = new ResultCache<{ value: unknown }>({ maxEntries: 2000, maxRows: 2000 });
  /** Statements run and values computed since start (tests count these, never time). */
  readonly counters = { queries: 0, computed: 0 };

  private readonly pool: ConnectionPool;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly views: MartView[],
    private readonly macros: string[],
    private readonly version: (() => string) | undefined,
    connections: number,
    private readonly slowQueryMs: number,
  ) {
    this.pool = new ConnectionPool(instance, connections);
  }

  static async open(options: WarehouseOptions): Promise<WarehouseService> {
    const marts = path.join(options.dataDir, 'marts');
    const view = (name: string, glob: string): MartView => {
      const create = readSql('warehouse', 'sql', `${name}.sql`);
      if (!create.includes(':glob')) throw new WarehouseError(`${name}.sql has no :glob placeholder`);
      return {
        name,
        glob,
        create: create.replaceAll(':glob', sqlString(glob)),
        createEmpty: readSql('warehouse', 'sql', `${name}.empty.sql`),
      };
    };
    const lake = path.join(options.dataDir, 'lake');
    const views = [
      view('fct_enrolment_term', path.join(marts, 'fct_enrolment_term', '**', '*.parquet')),
      view('dim_school', path.join(marts, 'dim_school', '*.parquet')),
      view('fct_child_status', path.join(marts, 'fct_child_status', '**', '*.parquet')),
      view('lake_pupils', path.join(lake, 'pupils', '**', '*.parquet')),
      view('lake_caseloads', path.join(lake, 'social-care', 'caseloads', '**', '*.parquet')),
      view('lake_marks', path.join(lake, 'marks', '**', '*.parquet')),
      view('lake_suspensions', path.join(lake, 'suspensions', '**', '*.parquet')),
    ];
    const macros = [
      fillPlaceholders(readSql('warehouse', 'sql', 'enrolment_totals.sql'), {
        persistent_absentee: persistentSql('overall_absence', 'possible_sessions'),
        severe_absentee: severeSql('overall_absence', 'possible_sessions'),
      }),
    ];
    // What a load or purge changes (see result-cache.ts): without a version file, mart files and
    // the lake's partition folders, walked; with one, the file and the data folder's own stamp.
    const sources: VersionSources = {
      full: [
        { dir: marts, depth: 5, fileDepth: 5 },
        { dir: path.join(lake, 'pupils'), depth: 3, fileDepth: -1 },
        { dir: path.join(lake, 'social-care', 'caseloads'), depth: 3, fileDepth: 3 },
      ],
      stamped: [marts, lake],
    };
    const version = options.cacheResults === false ? undefined : () => currentWarehouseVersion(options.dataDir, sources);
    const instance = await DuckDBInstance.create(':memory:');
    const warehouse = new WarehouseService(instance, views, macros, version, options.connections ?? 4, options.slowQueryMs ?? 2000);
    try {
      await warehouse.refresh(true);
    } catch (error) {
      instance.closeSync();
      throw error;
    }
    return warehouse;
  }

  /**
   * Runs one query with `$name` parameters and returns plain rows. Never interpolate values
   * into `sql`: pass them in `params`. Results are kept until the warehouse on disk changes
   * (the same SQL with the same parameters gives the same rows until a load or purge).
   */
  async query(
    sql: string,
    params: Record<string, DuckDBValue> = {},
    /** Types of parameters DuckDB cannot infer (e.g. an empty list). */
    types?: Record<string, DuckDBType>,
  ): Promise<WarehouseRow[]> {
    const key = this.version ? cacheKey(sql, params, types) : undefined;
    if (key === undefined) return this.queryNow(sql, params, types);
    return this.cache.get(this.version!(), key, () => this.queryNow(sql, params, types));
  }

  private async queryNow(
    sql: string,
    params: Record<string, DuckDBValue>,
    types: Record<string, DuckDBType> | undefined,
  ): Promise<WarehouseRow[]> {
    if (this.missing.size > 0) await this.refresh(false);
    try {
      return await this.run(sql, params, types);
    } catch (error) {
      if (!(error instanceof Error) || !STALE_VIEW.test(error.message)) throw error;
      await this.refresh(true);
      return this.run(sql, params, types);
    }
  }

  /**
   * The warehouse's version now (a new one after every load or purge; see result-cache.ts), or
   * null when this service keeps no results. Figures stored elsewhere (TSM packs in PostgreSQL)
   * note it to know when they are out of date.
   */
  currentVersion(): string | null {
    return this.version ? this.version() : null;
  }

  /**
   * Keeps what `compute` gives under `key` until the warehouse on disk changes, and shares one
   * running computation among callers asking at once: for reads that do not go through
   * {@link query} (the `@rollbook/etl` benchmark queries on their own DuckDB). The key must name
   * everything the answer depends on (the arguments, and the scope when it narrows the answer);
   * the value is shared, so callers must not change it. Without a result cache, computes every time.
   */
  async remember<T>(key: string, compute: () => Promise<T>): Promise<T> {
    if (!this.version) return compute();
    const [value] = await this.memo.get(this.version(), key, async () => {
      this.counters.computed++;
      return [{ value: await compute() }];
    });
    return value!.value as T;
  }

  /**
   * Lends one of the pool's connections to `work` (for the `@rollbook/etl` queries that take a
   * connection of their own), so they wait their turn with every other query instead of opening a
   * DuckDB instance each. `work` may create TEMP tables (they are the connection's own) but must
   * drop them, and must not change settings or the shared views.
   */
  async withConnection<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    if (this.closed) throw new WarehouseError('The warehouse is closed');
    if (this.missing.size > 0) await this.refresh(false);
    return this.pool.use((connection) => {
      this.counters.queries++;
      return work(connection);
    });
  }

  /** Like {@link query}, but hands back columns (for Arrow), in the order of `names`. */
  async queryColumns(
    sql: string,
    params: Record<string, DuckDBValue>,
    types: Record<string, DuckDBType> | undefined,
  ): Promise<{ names: string[]; columns: unknown[][] }> {
    if (this.missing.size > 0) await this.refresh(false);
    return this.pool.use(async (connection) => {
      const reader = await connection.runAndReadAll(sql, params, types);
      return { names: reader.columnNames(), columns: reader.getColumnsJS().map((c) => c.map(toPlainValue)) };
    });
  }

  /** True when at least one mart has data (false means "no data loaded yet"). */
  async hasData(): Promise<boolean> {
    if (this.missing.size > 0) await this.refresh(false);
    return !this.missing.has('fct_enrolment_term');
  }

  /** True when the engine answers a trivial query. */
  async ping(): Promise<boolean> {
    try {
      await this.run('SELECT 1 AS ok', {});
      return true;
    } catch {
      return false;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pool.close();
    this.instance.closeSync();
  }

  onApplicationShutdown(): void {
    this.close();
  }

  private async run(
    sql: string,
    params: Record<string, DuckDBValue>,
    types?: Record<string, DuckDBType>,
  ): Promise<WarehouseRow[]> {
    if (this.closed) throw new WarehouseError('The warehouse is closed');
    return this.pool.use(async (connection) => {
      this.counters.queries++;
      const started = performance.now();
      const reader = await connection.runAndReadAll(sql, params, types);
      const rows = reader.getRowObjectsJS().map(toPlainRow);
      const ms = performance.now() - started;
      if (ms >= this.slowQueryMs) WarehouseService.logger.warn(`Slow query (${Math.round(ms)} ms, ${rows.length} rows): ${firstLine(sql)}`);
      return rows;
    });
  }

  /** (Re)creates the views, one refresh at a time; `all` also rebuilds views that exist. */
  private refresh(all: boolean): Promise<void> {
    this.refreshing ??= this.createViews(all).finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async createViews(all: boolean): Promise<void> {
    await this.pool.use(async (connection) => {
      for (const view of this.views) {
        if (!all && !this.missing.has(view.name)) continue;
        if (await this.hasFiles(connection, view.glob)) {
          await connection.run(view.create);
          if (this.missing.delete(view.name)) WarehouseService.logger.log(`Mart ${view.name} found`);
        } else {
          await connection.run(view.createEmpty);
          this.missing.add(view.name);
        }
      }
      for (const macro of this.macros) await connection.run(macro);
    });
  }

  private async hasFiles(connection: DuckDBConnection, glob: string): Promise<boolean> {
    const reader = await connection.runAndReadAll('SELECT count(*) > 0 AS found FROM glob($glob)', { glob });
    return reader.getRowObjectsJS()[0]?.found === true;
  }
}

/**
 * DuckDB connections kept open and reused, at most `size` of them, so at most `size` queries run
 * at once; the rest wait their turn, first come first served. A connection holds no state between
 * queries (every statement commits on its own), so any caller may have any connection.
 */
class ConnectionPool {
  private readonly idle: DuckDBConnection[] = [];
  private readonly waiting: ((connection: DuckDBConnection) => void)[] = [];
  private opened = 0;

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly size: number,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new WarehouseError(`A pool needs at least one connection, not ${size}`);
  }

  async use<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    const connection = await this.acquire();
    try {
      return await work(connection);
    } finally {
      const next = this.waiting.shift();
      if (next) next(connection);
      else this.idle.push(connection);
    }
  }

  /** Closes the idle connections (call when the instance closes). */
  close(): void {
    for (const connection of this.idle.splice(0)) connection.closeSync();
  }

  private async acquire(): Promise<DuckDBConnection> {
    const idle = this.idle.pop();
    if (idle) return idle;
    if (this.opened < this.size) {
      this.opened++;
      try {
        const connection = await this.instance.connect();
        // Dates and times in UTC whatever the server's zone, as the ETL's own connections read them.
        await connection.run("SET TimeZone = 'UTC'");
        return connection;
      } catch (error) {
        this.opened--;
        throw error;
      }
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }
}

/** The first line of a query that says something (its leading comment, usually), for logs. */
function firstLine(sql: string): string {
  const line = sql.split('\n').map((l) => l.trim()).find((l) => l.length > 0) ?? '';
  return line.length > 120 ? `${line.slice(0, 117)}…` : line;
}

/** The cache key of a query; undefined when a parameter cannot be written out exactly (not cached). */
function cacheKey(sql: string, params: Record<string, DuckDBValue>, types: Record<string, DuckDBType> | undefined): string | undefined {
  try {
    return JSON.stringify([sql, params, types === undefined ? null : Object.entries(types).map(([k, t]) => [k, t.toString()])]);
  } catch {
    return undefined;
  }
}

/** Replaces `{{name}}` with SQL generated from one source of truth; every placeholder must be filled. */
function fillPlaceholders(sql: string, fragments: Record<string, string>): string {
  const filled = sql.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => {
    const fragment = fragments[name];
    if (fragment === undefined) throw new WarehouseError(`No SQL for placeholder ${whole}`);
    return fragment;
  });
  return filled;
}

function toPlainRow(row: Record<string, unknown>): WarehouseRow {
  const plain: WarehouseRow = {};
  for (const [key, value] of Object.entries(row)) plain[key] = toPlainValue(value);
  return plain;
}

/** BIGINT and HUGEINT arrive as `bigint`, which GraphQL cannot serialise. */
function toPlainValue(value: unknown): unknown {
  if (typeof value !== 'bigint') return value;
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new WarehouseError(`Integer ${value} is too large to return exactly`);
  }
  return Number(value);
}
