#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  UsageError,
  parseArgs,
  parseMirrors,
  printErr,
  printOut
} from "./chunk-PQRJBUAY.js";
import {
  DEFAULT_REQUESTS_PER_REGISTRY,
  join,
  plural
} from "./chunk-4IEO57K3.js";
import {
  DOCKER_HUB,
  canonicalRegistryName
} from "./chunk-5DZA4GKR.js";
import {
  __require
} from "./chunk-MK2NFTYZ.js";

// on-demand:node:fs:readFileSync
var __module;
var __load = () => __module ??= __require("node:fs");
function readFileSync(...args) {
  return __load().readFileSync(...args);
}

// on-demand:node:os:homedir
var __module2;
var __load2 = () => __module2 ??= __require("node:os");
function homedir(...args) {
  return __load2().homedir(...args);
}

// on-demand:node:child_process:execFileSync
var __module3;
var __load3 = () => __module3 ??= __require("node:child_process");
function execFileSync(...args) {
  return __load3().execFileSync(...args);
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

// src/cli/arguments.ts
var REGISTRY_OPTIONS_HELP = `  --mirror REGISTRY=URL  send REGISTRY's requests to URL (repeatable)
  --ca-file FILE         trust the CAs in this PEM file for every registry (repeatable;
                         /etc/docker/certs.d/<host>/*.crt are trusted per host as in Docker)
  --insecure-registry HOST  speak plain HTTP to HOST (host:port as in image names; repeatable)
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
  const { RegistryClient } = await import("./client-DSO5BLJU.js");
  return new RegistryClient({
    mirrors: parseMirrors(values.mirror),
    credentials: loadRegistryCredentials(),
    http,
    network,
    ...requestsPerRegistry ? { requestsPerRegistry } : {}
  });
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
var __module4;
var __load4 = () => __module4 ??= __require("node:path");
function dirname(...args) {
  return __load4().dirname(...args);
}
function join2(...args) {
  return __load4().join(...args);
}

export {
  readFile,
  dirname,
  join2 as join,
  loadRegistryCredentials,
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
