#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  UsageError,
  parseMirrors
} from "./chunk-NFLBZ23C.js";
import {
  DOCKER_HUB,
  canonicalRegistryName
} from "./chunk-4JNJNJWB.js";

// src/cli/arguments.ts
import { parseArgs } from "node:util";

// src/registry/docker-credentials.ts
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
var CredentialsError = class extends Error {
  name = "CredentialsError";
};
function dockerConfigPath(env = process.env) {
  return join(env.DOCKER_CONFIG || join(homedir(), ".docker"), "config.json");
}
function loadDockerCredentials(path = dockerConfigPath()) {
  let text;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if (error.code === "ENOENT") return /* @__PURE__ */ new Map();
    throw new CredentialsError(`${path}: cannot read: ${error.message}`);
  }
  let document;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new CredentialsError(`${path}: invalid JSON: ${error.message}`);
  }
  const credentials = /* @__PURE__ */ new Map();
  for (const [key, entry] of Object.entries(document.auths ?? {})) {
    const found = decodeEntry(entry);
    if (found) credentials.set(registryNameOf(key), found);
  }
  return credentials;
}
function decodeEntry(entry) {
  if (typeof entry?.auth === "string" && entry.auth !== "") {
    const decoded = Buffer.from(entry.auth, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  if (typeof entry?.username === "string" && typeof entry?.password === "string") {
    return { username: entry.username, password: entry.password };
  }
  return null;
}
function registryNameOf(key) {
  const host = key.replace(/^[a-z]+:\/\//i, "").replace(/\/.*$/, "");
  const name = canonicalRegistryName(host);
  return name === DOCKER_HUB ? DOCKER_HUB : name;
}

// src/cli/arguments.ts
var REGISTRY_OPTIONS_HELP = `  --mirror REGISTRY=URL  send REGISTRY's requests to URL (repeatable)
  --timeout SECONDS      per request attempt (default: 30)
  --retries N            retries per request for 429, 5xx and network errors (default: 2)
  --deadline SECONDS     per request, retries included (default: 110)
  --requests-per-registry N  requests in flight per registry (default: 8)
  -h, --help             show this help`;
function parseCommand(argv, options, usage) {
  const parsed = parseArgs({ args: argv, allowPositionals: true, options });
  if (parsed.values.help) {
    process.stdout.write(usage + "\n");
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
  const retries = wholeNumber(values.retries, "--retries");
  return {
    http: {
      ...timeout ? { attemptTimeoutMs: timeout * 1e3 } : {},
      ...deadline ? { deadlineMs: deadline * 1e3 } : {},
      ...retries !== void 0 ? { retries } : {}
    },
    requestsPerRegistry: positiveNumber(values["requests-per-registry"], "--requests-per-registry")
  };
}
async function registryClient(values) {
  const { http, requestsPerRegistry } = registryLimits(values);
  const { RegistryClient } = await import("./client-XGKZ7QLI.js");
  return new RegistryClient({
    mirrors: parseMirrors(values.mirror),
    credentials: loadDockerCredentials(),
    http,
    ...requestsPerRegistry ? { requestsPerRegistry } : {}
  });
}

// src/registry/request-counts.ts
function formatRequestCounts(host, counts) {
  return `requests to ${host}: ${counts.tagListPages} tag-list pages, ${counts.headManifests} manifest HEADs, ${counts.getManifests} manifest GETs, ${counts.getBlobs} blob GETs, ${counts.tokens} token requests`;
}

// src/cli/output.ts
function reportRequestCounts(counts) {
  for (const [host, hostCounts] of Object.entries(counts)) {
    process.stderr.write(formatRequestCounts(host, hostCounts) + "\n");
  }
}
function reportMissing(missing) {
  for (const path of missing)
    process.stderr.write(`nix-oci-hashes: ${path}: no such file or directory
`);
}

export {
  loadDockerCredentials,
  REGISTRY_OPTIONS_HELP,
  parseCommand,
  positiveNumber,
  wholeNumber,
  registryLimits,
  registryClient,
  reportRequestCounts,
  reportMissing
};
