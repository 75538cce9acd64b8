/**
 * Base of every feature's exception: a stable `code` from the feature's enum and a message safe
 * to show to a user (British English, no internals, no personal data).
 */
export abstract class FeatureException<Code extends string = string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
