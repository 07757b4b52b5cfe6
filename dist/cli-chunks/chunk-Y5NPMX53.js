#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  UsageError,
  parseArgs,
  parseContentMirrors,
  parseMirrors,
  printErr,
  printOut
} from "./chunk-3IBEI3I3.js";
import {
  DEFAULT_REQUESTS_PER_REGISTRY,
  commandRegistryOptions,
  plural
} from "./chunk-XDNX3J6G.js";
import {
  __require
} from "./chunk-MK2NFTYZ.js";

// src/cli/arguments.ts
var REGISTRY_OPTIONS_HELP = `  --mirror REGISTRY=URL  send REGISTRY's requests to URL (repeatable)
  --ca-file FILE         trust the CAs in this PEM file for every registry (repeatable;
                         /etc/docker/certs.d/<host>/*.crt are trusted per host as in Docker)
  --insecure-registry HOST  speak plain HTTP to HOST (host:port as in image names; repeatable)
  --content-mirror REGISTRY=URL  read REGISTRY's manifests by digest from URL first, verified
                         against the digest (repeatable, asked in order)
  --timeout SECONDS      per request attempt (default: 30)
  --retries N            retries per request for 429, 5xx and network errors (default: 2)
  --deadline SECONDS     per request, retries included (default: 110)
  --image-deadline SECONDS  per image, every request of its own together (default: 600)
  --requests-per-registry N  requests in flight per registry (default: ${DEFAULT_REQUESTS_PER_REGISTRY})
  -h, --help             show this help`;
function parseCommand(argv, options, usage) {
  const parsed = parseArgs({ args: argv, allowPositionals: true, options });
  if (parsed.values.help) {
    printOut(usage + "\n");
    return void 0;
  }
  return parsed;
}
function positiveNumber(value, flag) {
  if (value === void 0) return void 0;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0)
    throw new UsageError(`${flag} must be a positive number, not "${value}"`);
  return number;
}
function wholeNumber(value, flag) {
  if (value === void 0) return void 0;
  const number = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(number))
    throw new UsageError(`${flag} must be a whole number, not "${value}"`);
  return number;
}
function registryLimits(values) {
  const timeout = positiveNumber(values.timeout, "--timeout");
  const deadline = positiveNumber(values.deadline, "--deadline");
  const imageDeadline = positiveNumber(values["image-deadline"], "--image-deadline");
  const retries = wholeNumber(values.retries, "--retries");
  return {
    http: {
      ...timeout ? { attemptTimeoutMs: timeout * 1e3 } : {},
      ...deadline ? { deadlineMs: deadline * 1e3 } : {},
      ...imageDeadline ? { imageDeadlineMs: imageDeadline * 1e3 } : {},
      ...retries !== void 0 ? { retries } : {}
    },
    requestsPerRegistry: positiveNumber(values["requests-per-registry"], "--requests-per-registry"),
    network: {
      caFiles: values["ca-file"] ?? [],
      insecureRegistries: values["insecure-registry"] ?? []
    }
  };
}
async function registryClient(values) {
  const { http, requestsPerRegistry, network } = registryLimits(values);
  const { RegistryClient } = await import("./client-2A62UJC5.js");
  return new RegistryClient(
    commandRegistryOptions({
      mirrors: parseMirrors(values.mirror),
      contentMirrors: parseContentMirrors(values["content-mirror"] ?? []),
      http,
      network,
      requestsPerRegistry
    })
  );
}

// src/registry/request-counts.ts
function formatRequestCounts(host, counts) {
  return `requests to ${host}: ${counts.tagListPages} tag-list pages, ${counts.headManifests} manifest HEADs, ${counts.getManifests} manifest GETs, ${counts.getBlobs} blob GETs, ${counts.tokens} token requests`;
}
function formatPullsSaved(saved) {
  return Object.entries(saved).map(
    ([registry, count]) => `pulls saved at ${registry}: ${plural(count, "manifest GET")} answered by alternates or content mirrors`
  );
}

// src/cli/output.ts
function reportRequestCounts(counts) {
  for (const [host, hostCounts] of Object.entries(counts)) {
    printErr(formatRequestCounts(host, hostCounts) + "\n");
  }
}
function reportPullsSaved(saved) {
  for (const line of formatPullsSaved(saved)) printErr(line + "\n");
}
function reportMissing(missing) {
  for (const path of missing) printErr(`nix-oci-hashes: ${path}: no such file or directory
`);
}

// on-demand:node:fs/promises:readFile
function readFile(...args) {
  return new Promise(
    (resolve, reject) => __require("node:fs").readFile(...args, (error, value) => error ? reject(error) : resolve(value))
  );
}

// on-demand:node:path:dirname,join
var __module;
var __load = () => __module ??= __require("node:path");
function dirname(...args) {
  return __load().dirname(...args);
}
function join(...args) {
  return __load().join(...args);
}

export {
  readFile,
  dirname,
  join,
  REGISTRY_OPTIONS_HELP,
  parseCommand,
  positiveNumber,
  wholeNumber,
  registryLimits,
  registryClient,
  reportRequestCounts,
  reportPullsSaved,
  reportMissing
};
