/**
 * TypeBox, the schema library of every contract, through one door.
 *
 * Why a door: TypeBox ships as 266 small ES modules, and Node's module
 * loader keeps about 50 KB resident per module — 14 MB in every service
 * for what is 280 KB of code. The build (`tools/build/bundle-typebox.js`)
 * bundles this file into one module, which costs 1.3 MB. Importing
 * `@sinclair/typebox` directly elsewhere would also load a second copy whose
 * format registry the contracts never filled, so ESLint forbids it.
 */
export * from '@sinclair/typebox';
export { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
export { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
export { Value } from '@sinclair/typebox/value';
