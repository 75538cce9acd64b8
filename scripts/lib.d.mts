// Types of lib.mjs, for the TypeScript that imports it (test/support/stack.ts).
export const ROOT: string;
export function say(message: string): void;
export function fail(message: string): never;
export function sh(command: string, args: string[], options?: { env?: Record<string, string> }): void;
export function checkNode(): void;
export function ensureInstalled(): void;
export function ensureBuilt(): void;
/** The Node flags every launch of the API uses (`rollbook.nodeFlags` in apps/api/package.json). */
export function apiNodeFlags(): string[];
