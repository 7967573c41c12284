/**
 * Loaded before Electronegativity (scripts/audit-electron.mjs): its parser (@typescript-eslint 4)
 * needs TypeScript 4, installed beside Electronegativity, but npm hoists the parser next to the
 * project's own TypeScript. Requests for `typescript` from that parser go to TypeScript 4.
 */
const Module = require('node:module');
const path = require('node:path');

const nested = path.join(
  __dirname,
  '..',
  'node_modules',
  '@doyensec',
  'electronegativity',
  'node_modules',
  'typescript',
);
const original = Module._resolveFilename;
Module._resolveFilename = function resolve(request, parent, ...rest) {
  if (request === 'typescript' && parent?.filename?.includes(`${path.sep}@typescript-eslint${path.sep}`)) {
    return original.call(this, nested, parent, ...rest);
  }
  return original.call(this, request, parent, ...rest);
};
