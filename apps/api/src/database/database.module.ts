import { type DynamicModule, Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DatabaseService, type DatabaseOptions } from './database.service.js';

/** Provides {@link DatabaseService} and the TypeORM {@link DataSource} (inject it by class). */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseOptions): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: DatabaseService, useFactory: () => DatabaseService.open(options) },
        { provide: DataSource, useFactory: (db: DatabaseService) => db.dataSource, inject: [DatabaseService] },
      ],
      exports: [DatabaseService, DataSource],
    };
  }
}
