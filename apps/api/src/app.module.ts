import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { FeatureExceptionFilter, formatGraphQLError } from './common/graphql-errors.js';
import type { ApiConfig } from './config/config.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { AttendanceModule } from './modules/attendance/attendance.module.js';
import { HealthModule } from './modules/health/health.module.js';
import { WarehouseModule } from './warehouse/warehouse.module.js';

@Module({})
export class AppModule {
  static forRoot(config: ApiConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot({ database: config.database, dataDir: config.dataDir }),
        WarehouseModule.forRoot({ dataDir: config.dataDir }),
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          path: '/graphql',
          autoSchemaFile: true,
          sortSchema: true,
          playground: false,
          includeStacktraceInErrorResponses: false,
          formatError: formatGraphQLError,
        }),
        HealthModule,
        AttendanceModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: FeatureExceptionFilter }],
    };
  }
}
