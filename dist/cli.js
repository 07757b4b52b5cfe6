#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  CHECK_OPTIONS,
  MirrorError,
  PIN_OPTIONS,
  UPDATE_OPTIONS,
  UsageError,
  parseArgs,
  printErr
} from "./cli-chunks/chunk-3IBEI3I3.js";
import "./cli-chunks/chunk-5DZA4GKR.js";
import {
  __require
} from "./cli-chunks/chunk-MK2NFTYZ.js";

// on-demand:node:module:default
var __module;
var __load = () => __module ??= __require("node:module");
var node_module_default_default = new Proxy(() => {
}, {
  get: (_, key) => __load()[key],
  apply: (_, self, args) => Reflect.apply(__load(), self, args)
});

// src/cli/index.ts
node_module_default_default.enableCompileCache?.();
function commandOf(argv) {
  const { positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: false,
    options: { ...UPDATE_OPTIONS, ...CHECK_OPTIONS, ...PIN_OPTIONS }
  });
  return positionals[0];
}
async function main(argv) {
  const command = commandOf(argv);
  if (command === "check") return (await import("./cli-chunks/check-RXEERK46.js")).checkMain(argv);
  if (command === "pin") return (await import("./cli-chunks/pin-NOZRYQ2T.js")).pinMain(argv);
  return (await import("./cli-chunks/update-ARHVEWJW.js")).updateMain(argv);
}
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    const usage = error instanceof UsageError || error instanceof MirrorError || error.code?.startsWith("ERR_PARSE_ARGS");
    printErr(`nix-oci-hashes: ${error.message}
`);
    if (usage) printErr('Run "nix-oci-hashes --help" for usage.\n');
    process.exitCode = 2;
  }
);
