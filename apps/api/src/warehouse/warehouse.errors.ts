/** The warehouse could not answer; `message` is for logs, never for clients. */
export class WarehouseError extends Error {
  override name = 'WarehouseError';
}
