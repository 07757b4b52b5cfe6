#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  digestInfo,
  formatReferenceText,
  indexPlatforms,
  loadSources,
  parseReferenceText,
  pinTarget,
  platformOfImage,
  tagTarget
} from "./chunk-FXTRB7HK.js";
import {
  REGISTRY_OPTIONS_HELP,
  parseCommand,
  registryClient,
  reportMissing,
  reportRequestCounts
} from "./chunk-Y5NPMX53.js";
import {
  CHECK_OPTIONS,
  UsageError,
  printErr,
  printOut
} from "./chunk-3IBEI3I3.js";
import {
  plural,
  shortDigest
} from "./chunk-XDNX3J6G.js";
import {
  imageKey
} from "./chunk-5DZA4GKR.js";
import "./chunk-MK2NFTYZ.js";

// src/check/report.ts
var REPORT_FORMATS = ["text", "json", "github"];
function formatText(findings) {
  return findings.map((f) => {
    const where = `${f.file}:${f.line}${f.column ? `:${f.column}` : ""}`;
    return `${where}: ${f.severity} ${f.rule}: ${f.message}
`;
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
        excluded: result.excluded
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
function formatReport(result, format) {
  if (format === "json") return formatJson(result);
  if (format === "github") return formatGithub(result.findings);
  return formatText(result.findings);
}
function formatSummary(result, verbose = false) {
  const { errors, warnings, notes } = countBySeverity(result.findings);
  const listed = verbose ? result.skipped.map(
    (s) => `${s.file}:${s.line}: skipped ${s.reference ? `${s.reference}: ` : ""}${s.reason}
`
  ).join("") : "";
  const left = [
    result.ignored > 0 ? `${result.ignored} ignored` : "",
    result.skipped.length > 0 ? `${result.skipped.length} skipped` : "",
    result.excluded > 0 ? `${plural(result.excluded, "file")} excluded` : ""
  ].filter(Boolean);
  return listed + `${plural(result.references, "image reference")} checked in ${plural(result.files, "file")}` + (left.length > 0 ? ` (${left.join(", ")})` : "") + `: ${plural(errors, "error")}, ${plural(warnings, "warning")}, ${plural(notes, "note")}` + (result.skipped.length > 0 && !verbose ? "; --verbose lists what was skipped" : "");
}

// src/check/findings.ts
function sortFindings(findings) {
  return [...findings].sort(
    (a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || (a.column ?? 0) - (b.column ?? 0) || a.rule.localeCompare(b.rule)
  );
}
function at(reference, digest = false) {
  const line = digest ? reference.digestLine ?? reference.line : reference.line;
  return line === reference.line ? { file: reference.file, line, column: reference.column } : { file: reference.file, line };
}
function finding(reference, rule, severity, message, extra = {}) {
  return {
    rule,
    severity,
    ...at(reference, extra.digest),
    reference: reference.value,
    // A reference built from bindings or variables says where its parts came from.
    message: reference.via ? `${message} (${reference.via})` : message,
    ...extra.suggestion ? { suggestion: extra.suggestion } : {}
  };
}

// src/check/rules/consistency.ts
function consistencyFindings(references) {
  const byImage = /* @__PURE__ */ new Map();
  for (const reference of references) {
    if (reference.ignoreRules?.includes("inconsistent-references")) continue;
    const key = imageKey(reference.parsed.image);
    byImage.set(key, [...byImage.get(key) ?? [], reference]);
  }
  const findings = [];
  for (const group of byImage.values()) {
    const tagOf = (ref) => ref.parsed.tag ?? (ref.parsed.digest ? null : "latest");
    const tagged = group.filter((ref) => tagOf(ref) !== null);
    const versions = /* @__PURE__ */ new Map();
    for (const ref of tagged) {
      const version = withoutFlavour(tagOf(ref));
      versions.set(version, [...versions.get(version) ?? [], ref]);
    }
    const oneDockerfile = new Set(tagged.map((ref) => ref.file)).size === 1 && tagged[0]?.context === "FROM";
    if (versions.size > 1 && !oneDockerfile) {
      const first = tagged[0];
      const list = [...versions.values()].map((refs) => {
        return `${tagOf(refs[0])} (${describe(refs)})`;
      });
      findings.push(
        finding(
          first,
          "inconsistent-references",
          "warning",
          `${first.parsed.name} is used at ${versions.size} versions: ${list.join("; ")}; use one version everywhere`
        )
      );
      continue;
    }
    const byPlatform = /* @__PURE__ */ new Map();
    for (const reference of group) {
      if (!reference.parsed.digest || oneDockerfile) continue;
      const key = `${reference.parsed.tag ?? ""} ${reference.platform ?? ""}`;
      byPlatform.set(key, [...byPlatform.get(key) ?? [], reference]);
    }
    for (const same of byPlatform.values()) {
      const digests = /* @__PURE__ */ new Map();
      for (const ref of same)
        digests.set(ref.parsed.digest, [...digests.get(ref.parsed.digest) ?? [], ref]);
      if (digests.size < 2) continue;
      const first = same[0];
      const list = [...digests.entries()].map(
        ([digest, refs]) => `${shortDigest(digest)} (${describe(refs)})`
      );
      findings.push(
        finding(
          first,
          "inconsistent-references",
          "warning",
          `${first.parsed.name}:${first.parsed.tag} is pinned to ${digests.size} digests: ${list.join("; ")}; pin one digest everywhere`,
          { digest: true }
        )
      );
    }
  }
  return findings;
}
var FLAVOUR = /-(?:alpine|slim|jre|jdk|bookworm|bullseye|buster|trixie|noble|jammy|focal|debian|ubuntu|distroless|windowsservercore|nanoserver|musl|glibc)[\w.]*$/i;
function withoutFlavour(tag) {
  let previous;
  let version = tag;
  do {
    previous = version;
    version = version.replace(FLAVOUR, "");
  } while (version !== previous && version !== "");
  return version || tag;
}
function describe(references) {
  const shown = references.slice(0, 3).map((ref) => `${ref.file}:${ref.line}`);
  return shown.join(", ") + (references.length > 3 ? ` and ${references.length - 3} more` : "");
}

// src/check/rules/registry.ts
async function registryFindings(client, reference) {
  if (reference.track) return [];
  const { image, name, tag, digest } = reference.parsed;
  const platform = reference.platform;
  try {
    if (!digest) {
      if (tag === void 0 || tag === "latest") return [];
      const target = await pinTarget(client, image, tag, platform);
      if (target.ok) return [];
      return [
        target.reason === "tag-not-found" ? finding(
          reference,
          "tag-not-found",
          "error",
          `${name}:${tag} does not exist in the registry`
        ) : finding(
          reference,
          "tag-not-found",
          "error",
          `${name}:${tag} has no ${platform} image (it has ${target.platforms?.join(", ") || "none"})`
        )
      ];
    }
    const pinned = await digestInfo(client, image, digest);
    if (!pinned.exists) {
      const target = tag ? await pinTarget(client, image, tag, platform) : null;
      const now = target?.ok ? `; ${name}:${tag} is now ${target.digest}` : "";
      return [
        finding(
          reference,
          "digest-not-found",
          "error",
          `${shortDigest(digest)} does not exist in ${name}: a broken pin${now}`,
          { digest: true, ...target?.ok ? { suggestion: target.digest } : {} }
        )
      ];
    }
    const findings = [];
    if (platform && pinned.isIndex) {
      const platforms2 = await indexPlatforms(client, image, digest);
      const own = platforms2[platform];
      findings.push(
        finding(
          reference,
          "index-digest-for-platform",
          "warning",
          own ? `${shortDigest(digest)} is a multi-platform index but this file runs ${platform}; pin that platform's image ${own}` : `${shortDigest(digest)} is a multi-platform index with no ${platform} image, but this file runs ${platform}`,
          { digest: true, ...own ? { suggestion: own } : {} }
        )
      );
    }
    if (tag === void 0) return findings;
    const current = await tagTarget(client, image, tag);
    if (!current) {
      findings.push(
        finding(
          reference,
          "tag-not-found",
          "warning",
          `${name}:${tag} no longer exists in the registry (the pinned digest still does)`
        )
      );
      return findings;
    }
    if (current.digest === digest) return findings;
    const platforms = current.isIndex ? await indexPlatforms(client, image, current.digest) : {};
    const pinnedPlatform = Object.entries(platforms).find(([, value]) => value === digest)?.[0];
    if (pinnedPlatform) {
      if (platform && pinnedPlatform !== platform) {
        const own = platforms[platform];
        findings.push(
          finding(
            reference,
            "platform-mismatch",
            "error",
            `${shortDigest(digest)} is the ${pinnedPlatform} image of ${name}:${tag}, but this file runs ${platform}${own ? `; its image is ${own}` : ""}`,
            { digest: true, ...own ? { suggestion: own } : {} }
          )
        );
      }
      return findings;
    }
    let suggestion = current.digest;
    if (current.isIndex) {
      const wanted = platform ?? (pinned.isIndex ? null : await platformOfImage(client, image, digest));
      if (wanted && platforms[wanted]) suggestion = platforms[wanted];
    }
    findings.push(
      finding(
        reference,
        "tag-moved",
        "info",
        `${name}:${tag} has moved upstream: pinned ${shortDigest(digest)}, the tag now points to ${suggestion}`,
        { digest: true, suggestion }
      )
    );
    return findings;
  } catch (error) {
    return [
      finding(
        reference,
        "registry-error",
        "error",
        `could not check ${formatReferenceText(name, tag, digest)}: ${error.message}`
      )
    ];
  }
}

// src/check/rules/syntax.ts
function isFloatingTag(tag) {
  if (tag === "latest") return false;
  return !tag.split(/[-_+]/).some((part) => /^v?\d/i.test(part) || /^[0-9a-f]{7,40}$/.test(part) && /\d/.test(part));
}
function syntaxFindings(reference) {
  if (reference.track) return [];
  const { tag, digest, name } = reference.parsed;
  if (tag === void 0 && digest === void 0) {
    return [
      finding(
        reference,
        "no-tag",
        "error",
        `${name} has no tag, so it means :latest; name a version tag and pin its digest`
      )
    ];
  }
  if (tag === "latest") {
    return [
      finding(
        reference,
        "latest-tag",
        digest ? "warning" : "error",
        digest ? `${name}:latest is pinned, but the tag says nothing about the version; use a version tag` : `${name}:latest follows whatever is pushed next; name a version tag and pin its digest`
      )
    ];
  }
  if (tag !== void 0 && isFloatingTag(tag)) {
    return [
      finding(
        reference,
        "floating-tag",
        digest ? "warning" : "error",
        digest ? `${name}:${tag} is pinned, but "${tag}" names no version, so nobody can read which one it is; follow a version track (a tag such as 1.2 or 1.2.3) instead` : `${name}:${tag} follows whatever is pushed next under "${tag}", which names no version; follow a version track (a tag such as 1.2 or 1.2.3) and pin its digest`
      )
    ];
  }
  if (tag === void 0) {
    return [
      finding(
        reference,
        "digest-without-tag",
        "warning",
        reference.context === "pullImage" ? `${name}@${shortDigest(digest)} is pinned but names no version; add finalImageTag = "<version>"` : `${name}@${shortDigest(digest)} is pinned but names no version; write it as ${name}:<version>@${shortDigest(digest)}\u2026`
      )
    ];
  }
  if (digest === void 0) {
    const fix = reference.context === "pullImage" ? "add imageDigest (and its hash)" : "run `nix-oci-hashes pin` to add it";
    return [
      finding(
        reference,
        "unpinned",
        "error",
        `${name}:${tag} has no digest, so it can change under you; ${fix}`
      )
    ];
  }
  return [];
}

// src/check/run-check.ts
async function runCheck(options) {
  const sources = await loadSources(options.paths, options.cwd, options.exclude);
  const findings = [...sources.findings];
  const references = [];
  let count = 0;
  for (const { file, references: found } of sources.files) {
    for (const reference of found) {
      count++;
      const at2 = { file: file.display, line: reference.line, column: reference.column };
      try {
        references.push({
          ...reference,
          file: file.display,
          parsed: parseReferenceText(reference.value)
        });
      } catch (error) {
        findings.push({
          rule: "invalid-reference",
          severity: "error",
          ...at2,
          reference: reference.value,
          message: error.message
        });
      }
    }
  }
  for (const reference of references) findings.push(...syntaxFindings(reference));
  findings.push(...consistencyFindings(references));
  if (options.client) {
    const client = options.client;
    const online = await Promise.all(references.map((ref) => registryFindings(client, ref)));
    for (const list of online) findings.push(...list);
  }
  const off = /* @__PURE__ */ new Map();
  for (const ref of references)
    if (ref.ignoreRules) off.set(`${ref.file}:${ref.line}`, ref.ignoreRules);
  const kept = findings.filter((f) => !off.get(`${f.file}:${f.line}`)?.includes(f.rule));
  return {
    findings: sortFindings(kept),
    files: sources.files.length,
    references: count,
    missing: sources.missing,
    skipped: sources.skipped,
    ignored: sources.ignored,
    excluded: sources.excluded
  };
}

// src/cli/check.ts
var CHECK_USAGE = `Usage: nix-oci-hashes check [options] [PATH...]

Finds container image references in Nix files (image = "\u2026"; and dockerTools.pullImage),
Dockerfiles/Containerfiles (FROM, COPY --from), docker-compose files and Kubernetes manifests
under each PATH (files or directories; default: .) and reports references without a version tag,
without a digest, with a digest the registry does not have or that its tag no longer points to,
and images referenced differently in different places.

Options:
  --format text|json|github  findings as lines, as JSON, or as GitHub annotations (default: text)
  --offline              only the rules that need no registry
  --exclude GLOB         leave out files matching GLOB, relative to the working directory;
                         ** matches any depth (repeatable)
  --verbose              list each skipped reference (unresolvable variables, Helm templates)
${REGISTRY_OPTIONS_HELP}

Exit status: 0 when no error-level finding (warnings and notes allowed), 1 when there is one,
2 on bad input or usage.`;
async function checkMain(argv) {
  const parsed = parseCommand(argv, CHECK_OPTIONS, CHECK_USAGE);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  const format = values.format;
  if (!REPORT_FORMATS.includes(format)) {
    throw new UsageError(
      `--format must be one of ${REPORT_FORMATS.join(", ")}, not "${values.format}"`
    );
  }
  const paths = positionals.slice(1);
  const client = values.offline ? null : await registryClient(values);
  let result;
  try {
    result = await runCheck({
      paths: paths.length > 0 ? paths : ["."],
      cwd: process.cwd(),
      client,
      exclude: values.exclude
    });
  } finally {
    await client?.close();
  }
  printOut(formatReport(result, format));
  if (client) reportRequestCounts(client.requestCounts());
  printErr(formatSummary(result, values.verbose) + "\n");
  reportMissing(result.missing);
  if (result.missing.length > 0) return 2;
  return result.findings.some((finding2) => finding2.severity === "error") ? 1 : 0;
}
export {
  checkMain
};
