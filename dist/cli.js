#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  CHECK_OPTIONS,
  MirrorError,
  PIN_OPTIONS,
  TOOL_NAME,
  TOOL_VERSION,
  UPDATE_OPTIONS,
  UsageError,
  parseArgs,
  printErr,
  printOut
} from "./cli-chunks/chunk-M7DL5FG6.js";
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
var USAGE = `Usage: nix-oci-hashes COMMAND [options]

Commands:
  update   resolve images.json's version tracks to per-platform digests; rewrite digests.json
  check    find image references in Nix, Dockerfile, compose and Kubernetes files and report
           the unpinned, the broken and the inconsistent, and versions that disagree
  pin      rewrite name:tag references to name:tag@sha256:<digest>, from the registry or
           offline from a digests.json

Run "nix-oci-hashes COMMAND --help" for a command's options, "nix-oci-hashes --version" for
the version.`;
async function main(argv) {
  const command = commandOf(argv);
  if (command === void 0 && (argv.includes("--help") || argv.includes("-h"))) {
    printOut(USAGE + "\n");
    return 0;
  }
  if (command === void 0 && argv.length === 1 && argv[0] === "--version") {
    printOut(`${TOOL_NAME} ${TOOL_VERSION}
`);
    return 0;
  }
  if (command === "check") return (await import("./cli-chunks/check-CPGEKHAJ.js")).checkMain(argv);
  if (command === "pin") return (await import("./cli-chunks/pin-MAB5OESR.js")).pinMain(argv);
  return (await import("./cli-chunks/update-R3CBB7YN.js")).updateMain(argv);
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
