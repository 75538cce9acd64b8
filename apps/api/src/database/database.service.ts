import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import path from 'node:path';
import { DataSource } from 'typeorm';
import type { DatabaseConfig } from '../config/config.js';
import { type EmbeddedPostgresHandle, startEmbeddedPostgres } from './embedded-postgres.js';
import { migrations } from './migrations/index.js';

export interface DatabaseOptions {
  database: DatabaseConfig;
  /** The Rollbook data folder; the embedded cluster lives in `<dataDir>/postgres`. */
  dataDir: string;
  /** Most connections in the pool (default 30). */
  poolSize?: number;
}

/**
 * Owns the Postgres side: the embedded server (unless `DATABASE_URL` names one) and the TypeORM
 * DataSource, migrated at start. Closing it destroys the DataSource first, then stops the server,
 * in that order, which is why it is one provider rather than TypeOrmModule plus a server module.
 */
export class DatabaseService implements OnApplicationShutdown {
  private static readonly logger = new Logger('Database');

  private constructor(
    readonly dataSource: DataSource,
    private readonly embedded: EmbeddedPostgresHandle | undefined,
    /** The connection URL (with its password): for connections of their own, such as a `LISTEN`. */
    readonly url: string,
  ) {}

  static async open(options: DatabaseOptions): Promise<DatabaseService> {
    let embedded: EmbeddedPostgresHandle | undefined;
    let url: string;
    if (options.database.kind === 'server') {
      url = options.database.url;
    } else {
      embedded = await startEmbeddedPostgres({
        dir: path.join(options.dataDir, 'postgres'),
        port: options.database.port,
      });
      DatabaseService.logger.log(`Embedded PostgreSQL started on 127.0.0.1:${embedded.port}`);
      url = embedded.url;
    }
    const dataSource = new DataSource({
      type: 'postgres',
      url,
      entities: [],
      migrations,
      migrationsRun: true,
      migrationsTransactionMode: 'each',
      synchronize: false,
      poolSize: options.poolSize ?? 30,
      // TypeORM would log failed queries with their parameters: personal data must not reach logs.
      logging: false,
    });
    try {
      await dataSource.initialize();
    } catch (error) {
      if (dataSource.isInitialized) await dataSource.destroy();
      await embedded?.stop();
      throw error;
    }
    return new DatabaseService(dataSource, embedded, url);
  }

  /** True when a trivial query answers. */
  async ping(): Promise<boolean> {
    try {
      await this.dataSource.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    try {
      if (this.dataSource.isInitialized) await this.dataSource.destroy();
    } finally {
      await this.embedded?.stop();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}
