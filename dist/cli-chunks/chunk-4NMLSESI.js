#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  DOCKER_HUB,
  canonicalRegistryName,
  defaultEndpoint
} from "./chunk-5DZA4GKR.js";
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

// on-demand:node:fs:readFileSync
var __module2;
var __load2 = () => __module2 ??= __require("node:fs");
function readFileSync(...args) {
  return __load2().readFileSync(...args);
}

// on-demand:node:os:homedir
var __module3;
var __load3 = () => __module3 ??= __require("node:os");
function homedir(...args) {
  return __load3().homedir(...args);
}

// on-demand:node:path:join
var __module4;
var __load4 = () => __module4 ??= __require("node:path");
function join(...args) {
  return __load4().join(...args);
}

// on-demand:node:child_process:execFileSync
var __module5;
var __load5 = () => __module5 ??= __require("node:child_process");
function execFileSync(...args) {
  return __load5().execFileSync(...args);
}

// src/registry/credential-helper.ts
var CredentialHelperError = class extends Error {
  name = "CredentialHelperError";
};
var HELPER_TIMEOUT_MS = 3e4;
var NOT_FOUND = /credentials not found in native keychain/i;
var HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
var IDENTITY_TOKEN_USER = "<token>";
function helperServerUrl(registry) {
  return registry === DOCKER_HUB ? "https://index.docker.io/v1/" : registry;
}
function runCredentialHelper(name, registry, origin, env) {
  const program = `docker-credential-${name}`;
  const fail = (why) => {
    throw new CredentialHelperError(
      `credential helper ${program} (${origin}) for ${registry}: ${why}`
    );
  };
  if (!HELPER_NAME.test(name)) fail('the helper name may hold only letters, digits, ".", "_", "-"');
  let stdout;
  try {
    stdout = execFileSync(program, ["get"], {
      input: helperServerUrl(registry),
      encoding: "utf8",
      timeout: HELPER_TIMEOUT_MS,
      env,
      stdio: ["pipe", "pipe", "pipe"]
    });
  } catch (error) {
    const failure = error;
    if (failure.code === "ENOENT") return fail(`${program} is not on PATH`);
    if (failure.code === "ETIMEDOUT" || failure.signal === "SIGTERM") {
      return fail(`no answer within ${HELPER_TIMEOUT_MS / 1e3} s`);
    }
    const said = `${failure.stdout ?? ""}
${failure.stderr ?? ""}`.trim();
    if (NOT_FOUND.test(said)) return void 0;
    const firstLine = said.split("\n")[0].slice(0, 200);
    return fail(
      `exited with status ${failure.status ?? failure.signal}${firstLine ? `: ${firstLine}` : ""}`
    );
  }
  let answer;
  try {
    answer = JSON.parse(stdout);
  } catch {
    return fail("did not print JSON");
  }
  if (typeof answer?.Username !== "string" || typeof answer.Secret !== "string") {
    return fail('printed JSON without string "Username" and "Secret"');
  }
  if (answer.Secret === "") return void 0;
  if (answer.Username === IDENTITY_TOKEN_USER) {
    return { username: "", password: answer.Secret, identityToken: true };
  }
  return { username: answer.Username, password: answer.Secret };
}

// src/registry/docker-credentials.ts
var CredentialsError = class extends Error {
  name = "CredentialsError";
};
function dockerConfigPath(env = process.env) {
  return join(env.DOCKER_CONFIG || join(homedir(), ".docker"), "config.json");
}
function authFilePaths(env = process.env) {
  const primary = env.REGISTRY_AUTH_FILE || (env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, "containers", "auth.json") : void 0);
  const config = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), ".config");
  return [
    ...primary ? [primary] : [],
    join(config, "containers", "auth.json"),
    dockerConfigPath(env)
  ];
}
var CredentialStore = class {
  constructor(files, onFound = () => void 0, env = process.env) {
    this.files = files;
    this.onFound = onFound;
    this.env = env;
    for (const file of files) {
      for (const credentials of file.auths.values()) if (credentials) onFound(credentials);
    }
  }
  files;
  onFound;
  env;
  found = /* @__PURE__ */ new Map();
  get(registry) {
    const name = canonicalRegistryName(registry);
    let answer = this.found.get(name);
    if (!answer) {
      try {
        answer = { ...this.lookUp(name) };
      } catch (error) {
        answer = { error };
      }
      this.found.set(name, answer);
      if (answer.credentials && answer.fromHelper) this.onFound(answer.credentials);
    }
    if (answer.error) throw answer.error;
    return answer.credentials;
  }
  lookUp(registry) {
    for (const file of this.files) {
      const helper = file.credHelpers.get(registry);
      const [name, origin] = helper ? [helper, `credHelpers in ${file.path}`] : [file.credsStore, `credsStore in ${file.path}`];
      const fromHelper = name ? runCredentialHelper(name, registry, origin, this.env) : void 0;
      if (fromHelper) return { credentials: fromHelper, fromHelper: true };
      const credentials = file.auths.get(registry);
      if (credentials) return { credentials };
    }
    return {};
  }
};
function loadRegistryCredentials(onFound, env = process.env) {
  const files = authFilePaths(env).map(readAuthFile).filter((file) => file !== null);
  return new CredentialStore(files, onFound, env);
}
function readAuthFile(path) {
  let text;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if (error.code === "ENOENT") return null;
    throw new CredentialsError(`${path}: cannot read: ${error.message}`);
  }
  let document;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new CredentialsError(`${path}: invalid JSON: ${error.message}`);
  }
  const fail = (field, rule) => {
    throw new CredentialsError(`${path}: ${field}: ${rule}`);
  };
  const objectAt = (field) => {
    const value = document?.[field] ?? {};
    if (typeof value !== "object" || Array.isArray(value) || value === null) {
      return fail(field, "must be an object keyed by registry");
    }
    return value;
  };
  const file = { path, auths: /* @__PURE__ */ new Map(), credHelpers: /* @__PURE__ */ new Map() };
  for (const [key, entry] of Object.entries(objectAt("auths"))) {
    file.auths.set(registryNameOf(key), decodeEntry(entry ?? {}));
  }
  for (const [key, helper] of Object.entries(objectAt("credHelpers"))) {
    if (typeof helper !== "string" || helper === "") {
      fail(`credHelpers["${key}"]`, "must name a helper (docker-credential-<name>)");
    }
    file.credHelpers.set(registryNameOf(key), helper);
  }
  if (document?.credsStore !== void 0 && document.credsStore !== "") {
    if (typeof document.credsStore !== "string") fail("credsStore", "must name a helper");
    file.credsStore = document.credsStore;
  }
  return file;
}
function decodeEntry(entry) {
  if (typeof entry.identitytoken === "string" && entry.identitytoken !== "") {
    return { username: "", password: entry.identitytoken, identityToken: true };
  }
  if (typeof entry.auth === "string" && entry.auth !== "") {
    const decoded = Buffer.from(entry.auth, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  if (typeof entry.username === "string" && typeof entry.password === "string") {
    return { username: entry.username, password: entry.password };
  }
  return null;
}
function registryNameOf(key) {
  const scheme = /^[a-z]+:\/\//i.exec(key);
  const rest = scheme ? key.slice(scheme[0].length) : key;
  if (!scheme && rest.replace(/\/+$/, "").includes("/")) return `namespace ${key}`;
  return canonicalRegistryName(rest.replace(/\/.*$/, ""));
}

// src/registry/settings.ts
var DEFAULT_HTTP_POLICY = {
  attemptTimeoutMs: 3e4,
  retries: 2,
  deadlineMs: 11e4,
  backoffMs: 1e3,
  imageDeadlineMs: 6e5
};
var DEFAULT_PULL_RESERVE = 2;
var DEFAULT_MAX_TAG_PAGES = 1e3;
var DEFAULT_CERTS_DIRECTORY = "/etc/docker/certs.d";
var DEFAULT_USER_AGENT = "nix-oci-hashes";
function registrySettings(options = {}) {
  const network = options.network ?? {};
  const endpoint = (url, lookup) => {
    const base = url.replace(/\/+$/, "");
    const host = new URL(base).host;
    return {
      endpoint: base,
      host,
      mirrored: lookup === void 0,
      credentials: () => options.credentials?.get(lookup ?? host)
    };
  };
  return {
    host(registry) {
      const mirror = options.mirrors?.[registry];
      const own = network.insecureRegistries?.includes(registry) ? `http://${registry}` : defaultEndpoint(registry);
      return {
        ...endpoint(mirror ?? own, mirror ? void 0 : registry),
        registry,
        plainHttp: new URL(own).protocol === "http:",
        contentMirrors: (options.contentMirrors?.[registry] ?? []).map(
          (url) => endpoint(url, void 0)
        )
      };
    },
    trust: {
      caFiles: network.caFiles ?? [],
      certsDirectory: network.certsDirectory ?? process.env.NIX_OCI_HASHES_CERTS_D ?? DEFAULT_CERTS_DIRECTORY
    },
    http: { ...DEFAULT_HTTP_POLICY, ...options.http },
    requestsPerRegistry: options.requestsPerRegistry ?? DEFAULT_REQUESTS_PER_REGISTRY,
    tagPageSize: options.tagPageSize,
    maxTagPages: options.maxTagPages ?? DEFAULT_MAX_TAG_PAGES,
    pullReserve: options.pullReserve ?? DEFAULT_PULL_RESERVE,
    userAgent: options.userAgent ?? DEFAULT_USER_AGENT
  };
}
function pickRegistryOptions(from) {
  const picked = {};
  for (const key of REGISTRY_OPTION_KEYS) {
    if (from[key] !== void 0) picked[key] = from[key];
  }
  return picked;
}
function commandRegistryOptions(from) {
  return {
    ...pickRegistryOptions(from),
    credentials: from.credentials ?? loadRegistryCredentials()
  };
}
var REGISTRY_OPTION_KEYS = [
  "mirrors",
  "contentMirrors",
  "credentials",
  "http",
  "network",
  "requestsPerRegistry",
  "tagPageSize",
  "maxTagPages",
  "userAgent",
  "pullReserve"
];

export {
  plural,
  isDigest,
  digestOf,
  shortDigest,
  canonicalPlatform,
  parsePlatform,
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
  TOKEN_CONNECTIONS_PER_ORIGIN,
  join,
  DEFAULT_PULL_RESERVE,
  registrySettings,
  commandRegistryOptions
};
