#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  __require
} from "./chunk-MK2NFTYZ.js";

// src/common/plural.ts
function plural(count, one, many = `${one}s`) {
  return `${count} ${count === 1 ? one : many}`;
}

// src/common/platform.ts
var PLATFORM_PATTERN = /^([a-z0-9]+)\/([a-z0-9_]+)(?:\/([a-z0-9]+))?$/;
var ARCHITECTURE_ALIASES = /* @__PURE__ */ new Map([
  ["x86_64", "amd64"],
  ["x86-64", "amd64"],
  ["aarch64", "arm64"],
  ["armhf", "arm"],
  ["armel", "arm"]
]);
function canonicalPlatform(platform) {
  const os = platform.os.toLowerCase();
  const rawArchitecture = platform.architecture.toLowerCase();
  const architecture = ARCHITECTURE_ALIASES.get(rawArchitecture) ?? rawArchitecture;
  let variant = platform.variant?.toLowerCase() || void 0;
  if (architecture === "arm64" && variant === "v8") variant = void 0;
  if (architecture === "amd64" && variant === "v1") variant = void 0;
  if (architecture === "arm" && variant === void 0)
    variant = rawArchitecture === "armel" ? "v6" : "v7";
  return variant ? `${os}/${architecture}/${variant}` : `${os}/${architecture}`;
}
function parsePlatform(text) {
  const match = PLATFORM_PATTERN.exec(text);
  if (!match) return null;
  const [, os, architecture, variant] = match;
  return variant ? { os, architecture, variant } : { os, architecture };
}

// on-demand:node:crypto:createHash
var __module;
var __load = () => __module ??= __require("node:crypto");
function createHash(...args) {
  return __load().createHash(...args);
}

// src/common/digest.ts
var DIGEST_PATTERN = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;
function isDigest(text) {
  return DIGEST_PATTERN.test(text);
}
function digestOf(body, like = "sha256:") {
  const algorithm = like.startsWith("sha512:") ? "sha512" : "sha256";
  return `${algorithm}:${createHash(algorithm).update(body).digest("hex")}`;
}
function shortDigest(digest) {
  return digest.replace(/^sha(256|512):/, "").slice(0, 12);
}

// src/registry/manifest.ts
var OCI_INDEX = "application/vnd.oci.image.index.v1+json";
var DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
var OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
var DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
var INDEX_TYPES = /* @__PURE__ */ new Set([OCI_INDEX, DOCKER_MANIFEST_LIST]);
function isIndexMediaType(mediaType) {
  return INDEX_TYPES.has(mediaType.split(";")[0].trim());
}
var IMAGE_TYPES = /* @__PURE__ */ new Set([OCI_MANIFEST, DOCKER_MANIFEST]);
var MANIFEST_ACCEPT = [
  OCI_INDEX,
  DOCKER_MANIFEST_LIST,
  OCI_MANIFEST,
  DOCKER_MANIFEST
].join(", ");
var ManifestError = class extends Error {
  name = "ManifestError";
};
function parseManifest(body, contentType) {
  let document;
  try {
    document = JSON.parse(Buffer.from(body).toString("utf8"));
  } catch {
    throw new ManifestError("manifest is not JSON");
  }
  if (typeof document !== "object" || document === null)
    throw new ManifestError("manifest is not a JSON object");
  const declared = typeof document.mediaType === "string" ? document.mediaType : void 0;
  const mediaType = declared ?? contentType?.split(";")[0]?.trim();
  const isIndex = mediaType ? INDEX_TYPES.has(mediaType) : Array.isArray(document.manifests);
  const isImage = mediaType ? IMAGE_TYPES.has(mediaType) : typeof document.config === "object";
  const annotations = stringMap(document.annotations);
  const extra = annotations ? { annotations } : {};
  if (isIndex) {
    if (!Array.isArray(document.manifests))
      throw new ManifestError('index has no "manifests" array');
    return { kind: "index", manifests: document.manifests.map(toIndexEntry), ...extra };
  }
  if (isImage) {
    const config = document.config;
    if (!config || typeof config.digest !== "string" || !isDigest(config.digest)) {
      throw new ManifestError("image manifest has no valid config digest");
    }
    return {
      kind: "image",
      config: {
        digest: config.digest,
        ...typeof config.mediaType === "string" ? { mediaType: config.mediaType } : {}
      },
      ...extra
    };
  }
  throw new ManifestError(`unsupported manifest media type ${mediaType ?? "(none)"}`);
}
function toIndexEntry(raw, position) {
  const where = `manifests[${position}]`;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new ManifestError(`index entry ${where} is not an object`);
  const entry = raw;
  if (typeof entry.digest !== "string" || !isDigest(entry.digest))
    throw new ManifestError(`index entry ${where} has no valid digest`);
  const named = `index entry ${where} (${entry.digest})`;
  const malformed = (field, rule) => new ManifestError(`${named}: ${field} is ${describeType(fieldOf(entry, field))}; ${rule}`);
  if (entry.mediaType !== void 0 && typeof entry.mediaType !== "string")
    throw malformed("mediaType", "it must be a string");
  const result = { digest: entry.digest };
  if (typeof entry.mediaType === "string") result.mediaType = entry.mediaType;
  if (entry.platform !== void 0) {
    const platform = entry.platform;
    if (typeof platform !== "object" || platform === null || Array.isArray(platform))
      throw malformed("platform", "it must be an object");
    for (const field of ["os", "architecture"])
      if (typeof platform[field] !== "string")
        throw malformed(`platform.${field}`, "it must be a string");
    if (platform.variant !== void 0 && typeof platform.variant !== "string")
      throw malformed("platform.variant", "it must be a string");
    result.platform = {
      os: platform.os,
      architecture: platform.architecture,
      ...typeof platform.variant === "string" ? { variant: platform.variant } : {}
    };
  }
  const annotations = stringMap(entry.annotations);
  if (annotations) result.annotations = annotations;
  return result;
}
function fieldOf(entry, path) {
  let value = entry;
  for (const key of path.split(".")) value = value?.[key];
  return value;
}
function describeType(value) {
  if (value === void 0) return "missing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}
function namesPlatformImage(entry) {
  if (!entry.platform?.os || !entry.platform.architecture) return false;
  if (entry.annotations?.["vnd.docker.reference.type"]) return false;
  return entry.platform.os !== "unknown" && entry.platform.architecture !== "unknown";
}
function platformDigests(index) {
  const byPlatform = {};
  for (const entry of index.manifests) {
    if (!namesPlatformImage(entry)) continue;
    if (!entry.mediaType || isIndexMediaType(entry.mediaType)) continue;
    const platform = canonicalPlatform(entry.platform);
    byPlatform[platform] ??= entry.digest;
  }
  return byPlatform;
}
function stringMap(value) {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return void 0;
  const entries = Object.entries(value).filter(([, text]) => typeof text === "string");
  return entries.length > 0 ? Object.fromEntries(entries) : void 0;
}
function labelsOfConfig(body) {
  try {
    const config = JSON.parse(Buffer.from(body).toString("utf8"));
    return stringMap(config.config?.Labels);
  } catch {
    return void 0;
  }
}
function platformOfConfig(body) {
  try {
    const config = JSON.parse(Buffer.from(body).toString("utf8"));
    if (typeof config.os !== "string" || typeof config.architecture !== "string") return null;
    const variant = typeof config.variant === "string" ? config.variant : void 0;
    return canonicalPlatform({
      os: config.os,
      architecture: config.architecture,
      ...variant ? { variant } : {}
    });
  } catch {
    return null;
  }
}

// src/registry/connection-limits.ts
var HTTP1_CONNECTIONS_PER_ORIGIN = 8;
var HTTP2_MAX_STREAMS = 100;
var DEFAULT_REQUESTS_PER_REGISTRY = HTTP2_MAX_STREAMS;
var TOKEN_CONNECTIONS_PER_ORIGIN = 32;

// on-demand:node:path:join
var __module2;
var __load2 = () => __module2 ??= __require("node:path");
function join(...args) {
  return __load2().join(...args);
}

export {
  plural,
  isDigest,
  digestOf,
  shortDigest,
  canonicalPlatform,
  parsePlatform,
  join,
  OCI_INDEX,
  OCI_MANIFEST,
  isIndexMediaType,
  MANIFEST_ACCEPT,
  ManifestError,
  parseManifest,
  namesPlatformImage,
  platformDigests,
  labelsOfConfig,
  platformOfConfig,
  HTTP1_CONNECTIONS_PER_ORIGIN,
  HTTP2_MAX_STREAMS,
  DEFAULT_REQUESTS_PER_REGISTRY,
  TOKEN_CONNECTIONS_PER_ORIGIN
};
