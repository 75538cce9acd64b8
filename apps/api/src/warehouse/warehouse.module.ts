import { type DynamicModule, Global, Module } from '@nestjs/common';
import { LoadEvents } from './load-events.js';
import { WarehouseService, type WarehouseOptions } from './warehouse.service.js';

@Global()
@Module({})
export class WarehouseModule {
  static forRoot(options: WarehouseOptions): DynamicModule {
    return {
      module: WarehouseModule,
      providers: [{ provide: WarehouseService, useFactory: () => WarehouseService.open(options) }, LoadEvents],
      exports: [WarehouseService, LoadEvents],
    };
  }
}
