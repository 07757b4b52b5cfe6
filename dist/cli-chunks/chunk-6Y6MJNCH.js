#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  TOOL_NAME,
  TOOL_VERSION,
  UsageError,
  parseArgs,
  parseContentMirrors,
  parseMirrors,
  printErr,
  printOut
} from "./chunk-M7DL5FG6.js";
import {
  DEFAULT_REQUESTS_PER_REGISTRY,
  commandRegistryOptions,
  plural
} from "./chunk-4NMLSESI.js";
import {
  __require
} from "./chunk-MK2NFTYZ.js";

// on-demand:node:path:isAbsolute,relative,resolve,sep
var __module;
var __load = () => __module ??= __require("node:path");
var __read = (name) => __load()[name];
function isAbsolute(...args) {
  return __load().isAbsolute(...args);
}
function relative(...args) {
  return __load().relative(...args);
}
function resolve(...args) {
  return __load().resolve(...args);
}
var sep = /* @__PURE__ */ __read("sep");

// on-demand:node:fs/promises:stat
function stat(...args) {
  return new Promise(
    (resolve3, reject) => __require("node:fs").stat(...args, (error, value) => error ? reject(error) : resolve3(value))
  );
}

// on-demand:node:path:dirname,join,resolve
var __module2;
var __load2 = () => __module2 ??= __require("node:path");
function dirname(...args) {
  return __load2().dirname(...args);
}
function join(...args) {
  return __load2().join(...args);
}
function resolve2(...args) {
  return __load2().resolve(...args);
}

// src/check/repository-root.ts
async function findRepositoryRoot(folder) {
  let current = resolve2(folder);
  for (; ; ) {
    if (await stat(join(current, ".git")).catch(() => null)) return current;
    const parent = dirname(current);
    if (parent === current) return null;
    current = parent;
  }
}

// src/check/rules/catalogue.ts
var rule = (name, help) => ({ name, help });
var RULES = {
  "unreadable-file": rule("UnreadableFile", "The file cannot be read; it was not checked."),
  "binary-file": rule("BinaryFile", "A file named like a configuration file holds binary data."),
  "malformed-file": rule("MalformedFile", "The file does not parse; it was not checked."),
  "invalid-reference": rule("InvalidReference", "The text is not a valid image reference."),
  "no-tag": rule(
    "NoTag",
    "A reference without a tag means :latest; name a version tag and pin its digest."
  ),
  "latest-tag": rule(
    "LatestTag",
    "The latest tag says nothing about the version; use a version tag."
  ),
  "floating-tag": rule(
    "FloatingTag",
    "A tag such as alpine, stable or main names no version; follow a version track instead."
  ),
  unpinned: rule(
    "TagWithoutDigest",
    "A tag without a digest can change under you; `nix-oci-hashes pin` adds it."
  ),
  "digest-without-tag": rule(
    "DigestWithoutTag",
    "A digest without a tag is pinned, but nobody can read its version."
  ),
  "inconsistent-references": rule(
    "InconsistentReferences",
    "One image is used at different versions or digests in one project."
  ),
  "tag-not-found": rule(
    "TagNotFound",
    "The tag does not exist in the registry (or no longer does)."
  ),
  "digest-not-found": rule(
    "DigestNotFound",
    "The pinned digest does not exist in the registry: a broken pin."
  ),
  "tag-moved": rule(
    "TagMoved",
    "The tag now points to another image; the message gives the new digest."
  ),
  "index-digest-for-platform": rule(
    "IndexDigestForPlatform",
    "A multi-platform index is pinned where one platform runs."
  ),
  "platform-mismatch": rule("PlatformMismatch", "The pinned digest is another platform's image."),
  "registry-error": rule(
    "RegistryError",
    "The registry could not be asked; the reference was not checked."
  ),
  "unknown-image": rule(
    "UnknownImage",
    "imageTrack / lib.image names an image the published digests do not have."
  ),
  "unknown-track": rule(
    "UnknownTrack",
    "imageTrack / lib.image names a track the published digests do not have."
  ),
  "refused-entry": rule(
    "RefusedEntry",
    "The published entry it looks up is outside the grammar the flake accepts."
  ),
  "version-mismatch": rule(
    "VersionMismatch",
    "The places that declare one application's version disagree."
  ),
  "version-missing": rule(
    "VersionMissing",
    "A place configured to declare an application's version does not."
  ),
  "no-build-file": rule(
    "NoBuildFile",
    "A folder the version sync covers has none of the build files it expects."
  )
};
var RULE_IDS = Object.keys(RULES);

// src/check/sarif.ts
var DOCS = "https://github.com/nix-oci-hashes/nix-oci-hashes/blob/main/docs/check.md";
var LEVELS = {
  error: "error",
  warning: "warning",
  info: "note"
};
async function sarifBase(cwd) {
  return { cwd, root: await findRepositoryRoot(cwd) ?? cwd };
}
function artifactUri(file, base) {
  const path = resolve(base.cwd, file);
  const rel = relative(base.root, path);
  const inside = rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
  const parts = (inside ? rel : path).split(sep).map(encodeURIComponent).join("/");
  return inside ? parts : `file://${parts}`;
}
function formatSarif(result, base) {
  const index = new Map(RULE_IDS.map((id, i) => [id, i]));
  const rules = RULE_IDS.map((id) => {
    const { name, help: text } = RULES[id];
    return {
      id,
      name,
      shortDescription: { text },
      fullDescription: { text },
      helpUri: `${DOCS}#rules`,
      help: {
        text: `${text} See ${DOCS}#rules`,
        markdown: `${text} See [the rules](${DOCS}#rules).`
      }
    };
  });
  const results = result.findings.map((f) => ({
    ruleId: f.rule,
    ruleIndex: index.get(f.rule),
    level: LEVELS[f.severity],
    message: { text: f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: artifactUri(f.file, base), uriBaseId: "%SRCROOT%" },
          region: { startLine: Math.max(1, f.line), startColumn: Math.max(1, f.column ?? 1) }
        }
      }
    ],
    ...f.suggestion ? { properties: { suggestion: f.suggestion } } : {}
  }));
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            version: TOOL_VERSION,
            semanticVersion: TOOL_VERSION,
            informationUri: DOCS,
            rules
          }
        },
        results,
        columnKind: "unicodeCodePoints"
      }
    ]
  };
  return JSON.stringify(log, null, 2) + "\n";
}

// src/check/report.ts
var REPORT_FORMATS = ["text", "json", "github", "sarif"];
var CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
function oneLine(text) {
  return text.replace(CONTROL, (c) => {
    if (c === "\n") return "\\n";
    if (c === "\r") return "\\r";
    if (c === "	") return "\\t";
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
}
function formatText(findings) {
  return findings.map((f) => {
    const where = `${f.file}:${f.line}${f.column ? `:${f.column}` : ""}`;
    return oneLine(`${where}: ${f.severity} ${f.rule}: ${f.message}`) + "\n";
  }).join("");
}
function formatJson(result) {
  return JSON.stringify(
    {
      findings: result.findings,
      summary: {
        ...countBySeverity(result.findings),
        files: result.files,
        references: result.references,
        ignored: result.ignored,
        skipped: result.skipped.length,
        excluded: result.excluded,
        unverifiedTracks: result.unverifiedTracks
      },
      skipped: result.skipped
    },
    null,
    2
  ) + "\n";
}
var COMMANDS = { error: "error", warning: "warning", info: "notice" };
function formatGithub(findings) {
  return findings.map((f) => {
    const properties = [
      `file=${escapeProperty(f.file)}`,
      `line=${f.line}`,
      ...f.column ? [`col=${f.column}`] : [],
      `title=${escapeProperty(`nix-oci-hashes ${f.rule}`)}`
    ].join(",");
    return `::${COMMANDS[f.severity]} ${properties}::${escapeData(f.message)}
`;
  }).join("");
}
function escapeData(text) {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function escapeProperty(text) {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
function countBySeverity(findings) {
  return {
    errors: findings.filter((f) => f.severity === "error").length,
    warnings: findings.filter((f) => f.severity === "warning").length,
    notes: findings.filter((f) => f.severity === "info").length
  };
}
function formatReport(result, format, base = { cwd: process.cwd(), root: process.cwd() }) {
  if (format === "json") return formatJson(result);
  if (format === "sarif") return formatSarif(result, base);
  if (format === "github") return formatGithub(result.findings);
  return formatText(result.findings);
}
function formatSummary(result, options) {
  const { verbose = false, publishedFrom } = options;
  const { errors, warnings, notes } = countBySeverity(result.findings);
  const listed = verbose ? result.skipped.map(
    (s) => oneLine(
      `${s.file}:${s.line}: skipped ${s.reference ? `${s.reference}: ` : ""}${s.reason}`
    ) + "\n"
  ).join("") : "";
  const left = [
    result.ignored > 0 ? `${result.ignored} ignored` : "",
    result.skipped.length > 0 ? `${result.skipped.length} skipped` : "",
    result.excluded > 0 ? `${plural(result.excluded, "file")} excluded` : ""
  ].filter(Boolean);
  return listed + `${plural(result.references, "image reference")} checked in ${plural(result.files, "file")}` + (left.length > 0 ? ` (${left.join(", ")})` : "") + `: ${plural(errors, "error")}, ${plural(warnings, "warning")}, ${plural(notes, "note")}` + (result.skipped.length > 0 && !verbose ? "; --verbose lists what was skipped" : "") + (result.unverifiedTracks > 0 ? `
${plural(result.unverifiedTracks, "imageTrack or lib.image reference")} not looked up: no published digests found (${publishedFrom})` : "");
}

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
  const { RegistryClient } = await import("./client-5GVPISUI.js");
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

// on-demand:node:fs/promises:readFile
function readFile(...args) {
  return new Promise(
    (resolve3, reject) => __require("node:fs").readFile(...args, (error, value) => error ? reject(error) : resolve3(value))
  );
}

// on-demand:node:path:basename,dirname,join
var __module3;
var __load3 = () => __module3 ??= __require("node:path");
function basename(...args) {
  return __load3().basename(...args);
}
function dirname2(...args) {
  return __load3().dirname(...args);
}
function join2(...args) {
  return __load3().join(...args);
}

// src/common/arrays.ts
function appendAll(target, items) {
  for (const item of items) target.push(item);
}
function appendTo(lists, key, value) {
  const list = lists.get(key);
  if (list) list.push(value);
  else lists.set(key, [value]);
}

// src/common/records.ts
function dictionary(entries = []) {
  const record = /* @__PURE__ */ Object.create(null);
  for (const [key, value] of entries) record[key] = value;
  return record;
}
function overlay(...sources) {
  const record = dictionary();
  for (const source of sources) {
    if (source) for (const [key, value] of Object.entries(source)) record[key] = value;
  }
  return record;
}
function own(record, key) {
  return record !== void 0 && Object.hasOwn(record, key) ? record[key] : void 0;
}
function parseJsonData(text) {
  return JSON.parse(
    text,
    (_key, value) => typeof value === "object" && value !== null && !Array.isArray(value) ? overlay(value) : value
  );
}
function isJsonObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// src/common/digests-grammar.ts
var LABEL = "[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?";
var PORT = ":[0-9]{1,5}";
var HOST = `(${LABEL}(\\.${LABEL})+(${PORT})?|${LABEL}${PORT}|localhost|\\[[a-fA-F0-9:.]+](${PORT})?)`;
var COMPONENT = "[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*";
var NAME = `(${HOST}/)?${COMPONENT}(/${COMPONENT})*`;
var TAG = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";
var DIGEST = "(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})";
var DIGESTS_GRAMMAR = {
  imageKey: { pattern: NAME, maxLength: 255 },
  trackKey: { pattern: TAG, maxLength: 128 },
  platformKey: { pattern: "[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?", maxLength: 255 },
  reference: { pattern: `${NAME}:${TAG}@${DIGEST}`, maxLength: 520 }
};
var RULES2 = {
  imageKey: ["image name", "an image name as Docker reads it, of at most 255 characters"],
  trackKey: ["track key", 'a tag (letters, digits, "_", "." and "-", not first, at most 128)'],
  platformKey: ["platform key", "os/arch or os/arch/variant in lowercase"],
  reference: [
    "pinned reference",
    "name:tag@sha256:<64 hex digits> or name:tag@sha512:<128 hex digits>"
  ]
};
var STRUCTURE_RULE = "image \u2192 track \u2192 platform \u2192 reference";
var compiled = new Map(
  Object.keys(DIGESTS_GRAMMAR).map((part) => [
    part,
    new RegExp(`^(?:${DIGESTS_GRAMMAR[part].pattern})$`)
  ])
);
function matchesGrammar(part, value) {
  return typeof value === "string" && value.length <= DIGESTS_GRAMMAR[part].maxLength && compiled.get(part).test(value);
}
function jsonPath(at) {
  return `$${at.map((key) => `[${JSON.stringify(key)}]`).join("")}`;
}
function digestsViolations(document, limit = Infinity) {
  const found = [];
  const refuse = (at, message) => {
    found.push({ at, message: `${jsonPath(at)}: ${message}` });
    return found.length >= limit;
  };
  const outside = (part, value) => {
    if (matchesGrammar(part, value)) return void 0;
    const [rule2, asks] = RULES2[part];
    return `${JSON.stringify(value)} is not ${asks} (rule: ${rule2})`;
  };
  const notObject = `must be an object (rule: ${STRUCTURE_RULE})`;
  if (!isJsonObject(document)) {
    refuse([], notObject);
    return found;
  }
  for (const image of Object.keys(document)) {
    const tracks = document[image];
    const imageWrong = outside("imageKey", image) ?? (isJsonObject(tracks) ? null : notObject);
    if (imageWrong) {
      if (refuse([image], imageWrong)) return found;
      continue;
    }
    for (const track of Object.keys(tracks)) {
      const platforms = tracks[track];
      const trackWrong = outside("trackKey", track) ?? (isJsonObject(platforms) ? null : notObject);
      if (trackWrong) {
        if (refuse([image, track], trackWrong)) return found;
        continue;
      }
      for (const platform of Object.keys(platforms)) {
        const reference = platforms[platform];
        const wrong = outside("platformKey", platform) ?? (typeof reference === "string" ? outside("reference", reference) : `must be a string (rule: ${STRUCTURE_RULE})`);
        if (wrong && refuse([image, track, platform], wrong)) return found;
      }
    }
  }
  return found;
}
function grammarViolation(document) {
  return digestsViolations(document, 1)[0]?.message;
}

// src/check/published-digests.ts
var PublishedDigestsError = class extends Error {
  name = "PublishedDigestsError";
};
var refusalKey = (...at) => JSON.stringify(at);
function parsePublishedDigests(text, source) {
  let document;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new PublishedDigestsError(`${source}: invalid JSON: ${error.message}`);
  }
  const refused = /* @__PURE__ */ new Map();
  const refusedPlatforms = /* @__PURE__ */ new Map();
  for (const { at, message } of digestsViolations(document)) {
    if (at.length === 0) throw new PublishedDigestsError(`${source}: ${message}`);
    refused.set(refusalKey(...at), `${source}: ${message}`);
    if (at.length === 3) {
      appendTo(refusedPlatforms, refusalKey(at[0], at[1]), `${source}: ${message}`);
    }
  }
  const images = /* @__PURE__ */ new Map();
  const tree = document;
  for (const image of Object.keys(tree)) {
    const tracks = /* @__PURE__ */ new Map();
    images.set(image, tracks);
    if (refused.has(refusalKey(image))) continue;
    for (const track of Object.keys(tree[image])) {
      const references = /* @__PURE__ */ new Map();
      tracks.set(track, references);
      if (refused.has(refusalKey(image, track))) continue;
      const platforms = tree[image][track];
      for (const platform of Object.keys(platforms))
        if (!refused.has(refusalKey(image, track, platform)))
          references.set(platform, platforms[platform]);
    }
  }
  return { source, images, refused, refusedPlatforms, indexes: /* @__PURE__ */ new Map() };
}
function refusalLines(published, limit = 20) {
  const all = [...published.refused.values()];
  const lines = all.slice(0, limit).map((message) => `${message}; skipped: the flake refuses this entry`);
  if (all.length > limit)
    lines.push(`${published.source}: ${all.length - limit} more entries refused`);
  return lines;
}
function parseIndexes(text) {
  const indexes = /* @__PURE__ */ new Map();
  let document;
  try {
    document = JSON.parse(text);
  } catch {
    return indexes;
  }
  if (!isJsonObject(document) || !isJsonObject(document["images"])) return indexes;
  const images = document["images"];
  for (const image of Object.keys(images)) {
    const byDigest = images[image];
    if (!isJsonObject(byDigest)) continue;
    for (const digest of Object.keys(byDigest)) {
      const platforms = byDigest[digest];
      if (!isJsonObject(platforms)) continue;
      const map = /* @__PURE__ */ new Map();
      for (const platform of Object.keys(platforms)) {
        const value = platforms[platform];
        if (typeof value === "string") map.set(platform, value);
      }
      if (map.size > 0) indexes.set(digest, map);
    }
  }
  return indexes;
}
async function readPublishedDigests(path, display = path) {
  let text;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new PublishedDigestsError(`${display}: cannot read it: ${error.message}`);
  }
  const published = parsePublishedDigests(text, display);
  const state = join2(dirname2(path), `${basename(path).replace(/\.json$/, "")}.state.json`);
  const stateText = await readFile(state, "utf8").catch(() => null);
  if (stateText !== null) published.indexes = parseIndexes(stateText);
  return published;
}
function canonicalImage(name) {
  const slash = name.indexOf("/");
  const first = slash === -1 ? null : name.slice(0, slash);
  const hasRegistry = first !== null && (first === "localhost" || /[.:]/.test(first));
  const registry = hasRegistry ? first : "docker.io";
  const path = hasRegistry ? name.slice(slash + 1) : name;
  if (["docker.io", "index.docker.io", "registry-1.docker.io"].includes(registry))
    return `docker.io/${path.includes("/") ? path : `library/${path}`}`;
  return `${registry}/${path}`;
}
function editDistance(a, b) {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 0; i < a.length; i++) {
    const row = [i + 1];
    for (let j = 1; j <= b.length; j++)
      row.push(
        Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i] === b[j - 1] ? 0 : 1))
      );
    previous = row;
  }
  return previous[b.length];
}
function suggest(asked, candidates, key = (name) => name) {
  const scored = [...candidates].sort().map((name) => ({ name, d: editDistance(key(asked), key(name)) }));
  const best = scored.reduce((least, s) => Math.min(least, s.d), Infinity);
  const limit = Math.max(1, Math.floor(asked.length / 3));
  if (scored.length === 0 || best > limit) return "";
  const closest = scored.filter((s) => s.d === best).map((s) => JSON.stringify(s.name));
  return `did you mean ${closest.join(" or ")}? `;
}
var listOf = (names) => names.length === 0 ? "(none)" : [...names].sort().join(", ");
function foundImage(published, key) {
  const refused = published.refused.get(refusalKey(key));
  if (refused) return { ok: false, missing: "refused", message: refused };
  return { ok: true, key, tracks: published.images.get(key) };
}
function findImage(published, asked) {
  if (published.images.has(asked)) return foundImage(published, asked);
  const keys = [...published.images.keys()];
  const same = keys.filter((key) => canonicalImage(key) === canonicalImage(asked));
  if (same.length === 1) return foundImage(published, same[0]);
  if (same.length > 1)
    return {
      ok: false,
      missing: "image",
      message: `image "${asked}" matches several entries of ${published.source} that Docker treats as the same image: ${listOf(same)}; write one of them exactly`
    };
  return {
    ok: false,
    missing: "image",
    message: `image "${asked}" is not in ${published.source}; ${suggest(asked, keys, canonicalImage)}available images: ${listOf(keys)}`
  };
}
function findTrack(published, image, track) {
  const found = findImage(published, image);
  if (!found.ok) return found;
  const references = found.tracks.get(track);
  if (references) {
    const refused = published.refused.get(refusalKey(found.key, track));
    if (refused) return { ok: false, missing: "refused", message: refused };
    const refusedPlatforms = published.refusedPlatforms.get(refusalKey(found.key, track)) ?? [];
    return { ok: true, key: found.key, references, refusedPlatforms };
  }
  const tracks = [...found.tracks.keys()];
  return {
    ok: false,
    missing: "track",
    message: `track "${track}" of image "${found.key}" is not in ${published.source}; ${suggest(track, tracks)}available tracks: ${listOf(tracks)}`
  };
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
  for (const path of missing)
    printErr(oneLine(`nix-oci-hashes: ${path}: no such file or directory`) + "\n");
}
function reportRefused(published) {
  if (!published) return;
  for (const line of refusalLines(published))
    printErr(oneLine(`nix-oci-hashes: warning: ${line}`) + "\n");
}

// on-demand:node:path:dirname,join
var __module4;
var __load4 = () => __module4 ??= __require("node:path");
function dirname3(...args) {
  return __load4().dirname(...args);
}
function join3(...args) {
  return __load4().join(...args);
}

export {
  stat,
  dirname,
  join,
  resolve2 as resolve,
  findRepositoryRoot,
  sarifBase,
  REPORT_FORMATS,
  oneLine,
  formatReport,
  formatSummary,
  readFile,
  basename,
  dirname2,
  join2,
  appendAll,
  appendTo,
  dictionary,
  overlay,
  own,
  parseJsonData,
  isJsonObject,
  grammarViolation,
  PublishedDigestsError,
  parsePublishedDigests,
  readPublishedDigests,
  findImage,
  findTrack,
  dirname3,
  join3,
  REGISTRY_OPTIONS_HELP,
  parseCommand,
  positiveNumber,
  wholeNumber,
  registryLimits,
  registryClient,
  reportRequestCounts,
  reportPullsSaved,
  reportMissing,
  reportRefused
};
