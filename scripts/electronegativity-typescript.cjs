/**
 * Loaded before Electronegativity (scripts/audit-electron.mjs). Its parser (@typescript-eslint 4)
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

/**
 * Electronegativity writes its CSV report in two asynchronous calls, the header (truncating) and
 * then the findings (appending), without waiting for the first: when the append lands first, the
 * header overwrites the start of the first finding. The report's writes happen here in their order.
 */
const fs = require('node:fs');
const report = process.env.ELECTRONEGATIVITY_REPORT;
if (report) {
  const writeFile = fs.writeFile;
  fs.writeFile = function orderedWriteFile(file, ...rest) {
    if (file !== report) return writeFile.call(this, file, ...rest);
    const [data, options, callback] = rest;
    const done = typeof options === 'function' ? options : callback;
    const opts = typeof options === 'function' ? undefined : options;
    try {
      fs.writeFileSync(file, data, opts);
    } catch (err) {
      if (done) return done(err);
      throw err;
    }
    if (done) process.nextTick(done, null);
  };
}
