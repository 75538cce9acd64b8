import { ConsoleLogger, type INestApplication, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import type { AddressInfo } from 'node:net';
import { AppModule } from './app.module.js';
import type { ApiConfig } from './config/config.js';

export interface RunningApi {
  app: INestApplication;
  /** `http://host:port` (no trailing slash); the port is the real one when 0 was asked for. */
  baseUrl: string;
  /** Stops HTTP, closes DuckDB and the DataSource, then stops the embedded Postgres. */
  close(): Promise<void>;
}

export interface StartOptions {
  /** Nest log levels; `false` silences Nest (tests). */
  logger?: LogLevel[] | false;
  /** Let Nest close the app on SIGTERM/SIGINT (the entry point does; tests do not). */
  shutdownHooks?: boolean;
}

/** Creates the Nest application (Postgres started and migrated, DuckDB opened) and listens. */
export async function startApi(config: ApiConfig, options: StartOptions = {}): Promise<RunningApi> {
  // Production logs are one JSON object a line (level, time, context, message) for a log shipper.
  // Nothing logs personal data: errors are logged by class only (common/graphql-errors.ts).
  const logger =
    options.logger === undefined && config.nodeEnv === 'production'
      ? new ConsoleLogger({ json: true, colors: false, logLevels: ['log', 'warn', 'error', 'fatal'] })
      : (options.logger ?? ['log', 'warn', 'error']);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger,
    abortOnError: false,
  });
  // The portal calls from loopback and forwards the browser's address in X-Forwarded-For; the
  // audit log records that address. Nobody else is trusted to set it.
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  // Answers are personal: no browser or proxy keeps them (a route may say `private, no-store`),
  // and no ETag (hashing every response body cost about 2 % of the API's CPU under load).
  app.set('etag', false);
  app.use((_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  // The API serves JSON, CSV and Arrow to programs, never pages: the strictest headers fit.
  app.use(
    helmet({
      contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] } },
      crossOriginResourcePolicy: { policy: 'same-origin' },
      strictTransportSecurity: config.nodeEnv === 'production',
    }),
  );
  if (options.shutdownHooks) app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  try {
    await app.listen(config.port, config.host);
  } catch (error) {
    await app.close();
    throw error;
  }
  const address = app.getHttpServer().address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return { app, baseUrl: `http://${host}:${address.port}`, close: () => app.close() };
}
