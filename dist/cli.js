#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  CHECK_OPTIONS,
  MirrorError,
  PIN_OPTIONS,
  UPDATE_OPTIONS,
  UsageError
} from "./cli-chunks/chunk-SL5LUZVL.js";
import "./cli-chunks/chunk-56YBZUVI.js";

// src/cli/index.ts
import module from "node:module";
import { parseArgs } from "node:util";
module.enableCompileCache?.();
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
  if (command === "check") return (await import("./cli-chunks/check-NSVEIMKJ.js")).checkMain(argv);
  if (command === "pin") return (await import("./cli-chunks/pin-J7NXPNTT.js")).pinMain(argv);
  return (await import("./cli-chunks/update-SMOEEYRC.js")).updateMain(argv);
}
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    const usage = error instanceof UsageError || error instanceof MirrorError || error.code?.startsWith("ERR_PARSE_ARGS");
    process.stderr.write(`nix-oci-hashes: ${error.message}
`);
    if (usage) process.stderr.write('Run "nix-oci-hashes --help" for usage.\n');
    process.exitCode = 2;
  }
);
