import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import type { Request, Response } from 'express';
import { FeatureExceptionFilter, formatGraphQLError } from './common/graphql-errors.js';
import { queryLimitsRule } from './common/graphql-limits.js';
import type { ApiConfig } from './config/config.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { AccessModule } from './modules/access/access.module.js';
import { AttendanceModule } from './modules/attendance/attendance.module.js';
import { AuditModule } from './modules/audit/audit.module.js';
import { BenchmarksModule } from './modules/benchmarks/benchmarks.module.js';
import { HealthModule } from './modules/health/health.module.js';
import { PupilsModule } from './modules/pupils/pupils.module.js';
import { SocialCareModule } from './modules/social-care/social-care.module.js';
import { TsmModule } from './modules/tsm/tsm.module.js';
import { SubmissionsModule } from './modules/submissions/submissions.module.js';
import { WarehouseModule } from './warehouse/warehouse.module.js';

@Module({})
export class AppModule {
  static forRoot(config: ApiConfig): DynamicModule {
    const production = config.nodeEnv === 'production';
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot({ database: config.database, dataDir: config.dataDir, poolSize: config.databasePoolSize }),
        WarehouseModule.forRoot({ dataDir: config.dataDir }),
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          path: '/graphql',
          autoSchemaFile: true,
          sortSchema: true,
          playground: false,
          introspection: !production,
          includeStacktraceInErrorResponses: false,
          // Apollo's own CSRF prevention (on by default) stays on: no "simple" cross-site requests.
          csrfPrevention: true,
          validationRules: [queryLimitsRule()],
          formatError: formatGraphQLError,
          // Responses carry personal data and are never cached by HTTP caches, so Apollo's
          // cache-control hints would only cost a hook on every field resolved (about 5 % of the
          // API's CPU under load; docs/benchmarks.md).
          plugins: [ApolloServerPluginCacheControlDisabled()],
          context: ({ req, res }: { req: Request; res: Response }) => ({ req, res }),
        }),
        AuditModule,
        AccessModule,
        HealthModule,
        AttendanceModule,
        PupilsModule,
        SocialCareModule,
        TsmModule,
        BenchmarksModule,
        SubmissionsModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: FeatureExceptionFilter }],
    };
  }
}
