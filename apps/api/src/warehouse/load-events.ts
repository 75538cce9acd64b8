import { Injectable, Logger } from '@nestjs/common';
import type { SubmissionRecord } from '@rollbook/etl';

/** What a listener hears: the inputs just filed from the loader's queue (returns and other files). */
export type LoadedListener = (records: readonly SubmissionRecord[]) => Promise<void>;

/**
 * Whenever data loads (a CLI batch or an upload), the submissions service files the loader's
 * records and tells every listener here, so work that follows a load (storing termly TSM packs,
 * computing social-care alerts) runs then, not when somebody next opens a page. Listeners run one
 * after another; one that fails is logged and does not stop the rest.
 */
@Injectable()
export class LoadEvents {
  private static readonly logger = new Logger('LoadEvents');
  private readonly listeners: { name: string; listener: LoadedListener }[] = [];

  /** Registers a listener (call from a service's `onModuleInit`). */
  onLoaded(name: string, listener: LoadedListener): void {
    this.listeners.push({ name, listener });
  }

  /** Tells every listener; resolves once all have finished. */
  async loaded(records: readonly SubmissionRecord[]): Promise<void> {
    if (records.length === 0) return;
    for (const { name, listener } of this.listeners) {
      try {
        await listener(records);
      } catch (error) {
        LoadEvents.logger.error(`After a load, ${name} failed: ${(error as Error).message}`);
      }
    }
  }
}
