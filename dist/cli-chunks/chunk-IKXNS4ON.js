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
  flake: { type: "string" }
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
  printErr
};
