// A V8 code cache for the CommonJS modules a command loads (cdktn, the provider classes, zod, dist/), kept on disk
// between runs. Compiling those 13 MB of JavaScript was about a third of what a synth after a config edit cost;
// with the cache a process deserializes the bytecode its previous run compiled, including the functions compiled
// lazily while it ran, which a cache made at compile time (v8-compile-cache) leaves out.
//
// Loaded first: `node --require scripts/compile-cache.cjs …`, or required by scripts/run.mjs before the command.
// Node 22.1+ has this built in (module.enableCompileCache, https://nodejs.org/api/module.html#module-compile-cache),
// and uses it; on Node 20 this file compiles each module itself (Module.prototype._compile, as Node's own loader
// does with vm.Script when a module wrapper is patched) so that it can pass and take V8's cached data.
//
// The cache is an optimisation only: a file it cannot read or write costs a compile, never a failure. Entries are
// keyed by the module's path and checked against a hash of its source, so an edited file is compiled again even
// when its length is unchanged (V8's own check of cached data covers the source's length, not its text).
// Each command keeps its own cache (a folder per command, e.g. `src_cli_synth`): an entry holds every function the
// process that wrote it compiled, and a synth that loaded the entries a test process wrote, with the functions of
// all the tests, measured slower than one without a cache.
// Environment: PLATFORM_INFRA_COMPILE_CACHE=0 turns it off; PLATFORM_INFRA_COMPILE_CACHE_DIR moves it (default
// node_modules/.cache/platform-infra/compile-cache, so `npm ci` starts it afresh); PLATFORM_INFRA_COMPILE_CACHE_REPORT=1
// prints what it used and wrote when the process exits.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

/** The checkout whose modules are cached (dist/, node_modules/): files elsewhere, such as a test's temporary ones, are not. */
const ROOT = path.join(__dirname, '..');
const DIRECTORY = path.join(
  process.env.PLATFORM_INFRA_COMPILE_CACHE_DIR ?? path.join(ROOT, 'node_modules', '.cache', 'platform-infra', 'compile-cache'),
  commandOf(process.argv),
);
const HASH = 'sha1';
/**
 * Node 20 loses a script's dynamic-import callback when the script comes from cached data (`import()` then throws
 * ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING), so a module that may call `import()` is left to Node's loader. A false
 * match only costs that module its cache.
 */
const DYNAMIC_IMPORT = /\bimport\s*\(/;
/** How a module's inlined source map starts, on a line of its own. */
const INLINE_SOURCE_MAP = '\n//# sourceMappingURL=data:';

/**
 * The command this process runs, as a folder name: the main script's path in the checkout without `dist/` and its
 * extension, or for scripts/run.mjs the command it starts, so that `npm run synth` and `node dist/src/cli/synth.js`
 * share one (`src_cli_synth`).
 */
function commandOf([, main = 'repl', runCommand = '']) {
  const script = path.relative(ROOT, path.resolve(main)).replaceAll(path.sep, '/');
  const command = script === 'scripts/run.mjs' ? runCommand : script;
  return command
    .replace(/^dist\//, '')
    .replace(/\.[cm]?[jt]s$/, '')
    .replace(/[^A-Za-z0-9.-]+/g, '_')
    .replace(/^[._]+/, '');
}

function enableNodeCache() {
  const { status, message } = Module.enableCompileCache(DIRECTORY);
  if (status === Module.constants.compileCacheStatus.FAILED) process.emitWarning(`compile cache not enabled: ${message}`);
}

function enableOwnCache() {
  const compile = Module.prototype._compile;
  // By entry: a process that loads a module again (the synth server does, per request) writes its last compile once.
  const compiled = new Map();
  const stats = { used: 0, compiled: 0, written: 0 };
  Module.prototype._compile = function compileWithCache(content, filename) {
    if (!filename.startsWith(ROOT + path.sep)) return compile.call(this, content, filename);
    content = withoutInlineSourceMap(content);
    if (DYNAMIC_IMPORT.test(content)) return compile.call(this, content, filename);
    const entry = path.join(DIRECTORY, crypto.createHash(HASH).update(filename).digest('hex'));
    const sourceHash = crypto.createHash(HASH).update(content).digest();
    const cached = readEntry(entry, sourceHash);
    // A leading #! line is legal only at the very start of a script, and the module wrapper comes before it.
    const source = content.startsWith('#!') ? `//${content}` : content;
    const script = new vm.Script(Module.wrap(source), {
      filename,
      cachedData: cached,
    });
    if (cached && !script.cachedDataRejected) stats.used++;
    else {
      stats.compiled++;
      compiled.set(entry, { script, sourceHash });
    }
    const wrapper = script.runInThisContext({ displayErrors: true });
    return wrapper.call(this.exports, this.exports, requireFor(this), this, filename, path.dirname(filename));
  };
  // At exit the scripts hold the bytecode of every function this run compiled, not only their top level.
  process.on('exit', () => {
    for (const [entry, { script, sourceHash }] of compiled) if (writeEntry(entry, sourceHash, script.createCachedData())) stats.written++;
    if (process.env.PLATFORM_INFRA_COMPILE_CACHE_REPORT === '1')
      process.stderr.write(`compile cache: ${stats.used} used, ${stats.compiled} compiled, ${stats.written} written (${DIRECTORY})\n`);
  });
}

/**
 * The module without the source map its package inlined at the end (cdktn's and the provider's modules: two thirds
 * of their 13 MB). Only stack-trace mapping reads it, and a process that maps stack traces (--enable-source-maps)
 * keeps Node's loader; left in, V8 would scan it as a comment on every compile.
 */
function withoutInlineSourceMap(content) {
  const map = content.lastIndexOf(INLINE_SOURCE_MAP);
  return map < 0 ? content : content.slice(0, map + 1);
}

/** The `require` Node gives a module (lib/internal/modules/helpers.js, makeRequireFunction). */
function requireFor(module) {
  const require = (id) => module.require(id);
  require.resolve = (request, options) => Module._resolveFilename(request, module, false, options);
  require.resolve.paths = (request) => Module._resolveLookupPaths(request, module);
  require.main = process.mainModule;
  require.extensions = Module._extensions;
  require.cache = Module._cache;
  return require;
}

function readEntry(entry, sourceHash) {
  try {
    const data = fs.readFileSync(entry);
    return data.subarray(0, sourceHash.length).equals(sourceHash) ? data.subarray(sourceHash.length) : undefined;
  } catch {
    return undefined;
  }
}

/** Atomically, as test processes running side by side load the same modules. */
function writeEntry(entry, sourceHash, cachedData) {
  const staging = `${entry}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(DIRECTORY, { recursive: true });
    fs.writeFileSync(staging, Buffer.concat([sourceHash, cachedData]));
    fs.renameSync(staging, entry);
    return true;
  } catch {
    fs.rmSync(staging, { force: true });
    return false;
  }
}

if (process.env.PLATFORM_INFRA_COMPILE_CACHE !== '0') {
  if (typeof Module.enableCompileCache === 'function') enableNodeCache();
  // Node's loader maps stack traces through source maps (--enable-source-maps) as it compiles a module; compiling
  // here would skip that, so a process that asks for them keeps Node's loader.
  else if (!process.sourceMapsEnabled) enableOwnCache();
}
