/**
 * `@parley/server/testing`: what other packages' tests need to run the real server in-process —
 * the storage backends (PGlite, PostgreSQL), the test app and its keys, and booking fixtures.
 */
export * from './test-backends.js';
export * from './test-app.js';
export * from './observed-test-app.js';
export * from './booking-fixtures.js';
