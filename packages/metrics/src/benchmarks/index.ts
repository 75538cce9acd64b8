export * from './comparators.js';
export * from './similar-schools.js';
export * from './help-first.js';
export * from './suppression.js';
