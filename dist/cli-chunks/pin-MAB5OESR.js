#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  findPublished,
  loadSources,
  parseReferenceText,
  publishedSource,
  readFile,
  registrySource,
  splitMissing,
  stat,
  syntaxFindings,
  uniqueReferences
} from "./chunk-2RNGOE6E.js";
import {
  writeFileAtomic
} from "./chunk-UHQMK5SO.js";
import {
  REGISTRY_OPTIONS_HELP,
  appendAll,
  findRepositoryRoot,
  oneLine,
  parseCommand,
  registryClient,
  reportMissing,
  reportRefused,
  reportRequestCounts
} from "./chunk-6Y6MJNCH.js";
import {
  PIN_OPTIONS,
  UsageError,
  printErr,
  printOut
} from "./chunk-M7DL5FG6.js";
import {
  canonicalPlatform,
  parsePlatform,
  plural
} from "./chunk-4NMLSESI.js";
import "./chunk-5DZA4GKR.js";
import {
  __require
} from "./chunk-MK2NFTYZ.js";

// on-demand:node:fs/promises:lstat,realpath
var __module;
var __load = () => __module ??= __require("node:fs/promises");
function lstat(...args) {
  return new Promise(
    (resolve2, reject) => __require("node:fs").lstat(...args, (error, value) => error ? reject(error) : resolve2(value))
  );
}
function realpath(...args) {
  return __load().realpath(...args);
}

// on-demand:node:path:isAbsolute,relative,resolve
var __module2;
var __load2 = () => __module2 ??= __require("node:path");
function isAbsolute(...args) {
  return __load2().isAbsolute(...args);
}
function relative(...args) {
  return __load2().relative(...args);
}
function resolve(...args) {
  return __load2().resolve(...args);
}

// src/check/write-confinement.ts
async function writeRoots(paths, cwd) {
  const home = await findRepositoryRoot(cwd) ?? resolve(cwd);
  const roots = [await realpath(home).catch(() => home)];
  for (const argument of paths) {
    const path = resolve(cwd, argument);
    const info = await lstat(path).catch(() => null);
    if (!info || info.isSymbolicLink()) continue;
    roots.push(await realpath(path).catch(() => path));
  }
  return { roots, home };
}
function inside(path, root) {
  const rel = relative(root, path);
  return rel === "" || !rel.startsWith("..") && !isAbsolute(rel);
}
var OutsideError = class extends Error {
  name = "OutsideError";
};
async function confinedTarget(path, allowed) {
  const real = await realpath(path);
  if (allowed.roots.some((root) => inside(real, root))) return real;
  throw new OutsideError(
    `resolves to ${real}, outside ${allowed.home} and the paths given; not written (pin never writes through a link out of the tree)`
  );
}

// src/check/pin.ts
async function runPin(options) {
  const sources = await loadSources(options.paths, options.cwd, options.exclude);
  const problems = sources.findings.filter((f) => f.severity === "error").map((f) => ({ file: f.file, line: f.line, message: f.message, failure: true }));
  const { missing, unreachable } = await splitMissing(sources.missing, options.cwd);
  for (const { argument, message } of unreachable)
    problems.push({ file: argument, line: 1, message, failure: true });
  const source = withPlatform(options.source, options.platform);
  const planned = await Promise.all(sources.files.map((file) => planFile(source, file, problems)));
  const edits = [];
  const written = [];
  let diff = "";
  const roots = await writeRoots(options.paths, options.cwd);
  for (const [index, loaded] of sources.files.entries()) {
    const plan = planned[index];
    if (plan.length === 0) continue;
    const fileProblem = (message) => problems.push({ file: loaded.file.display, line: 1, message, failure: true });
    let target;
    try {
      target = await confinedTarget(loaded.file.path, roots);
    } catch (error) {
      fileProblem(error.message);
      continue;
    }
    let text = loaded.text;
    for (const edit of [...plan].sort((a, b) => b.start - a.start)) {
      text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
    }
    const fileEdits = plan.map(({ reference, after }) => ({
      file: loaded.file.display,
      line: reference.line,
      before: reference.value,
      after
    }));
    diff += unifiedDiff(loaded.file.display, loaded.text, text);
    if (options.dryRun) {
      appendAll(edits, fileEdits);
      continue;
    }
    const now = await readFile(target).catch(() => null);
    if (!now || now.toString("latin1") !== loaded.text) {
      fileProblem("the file changed while pinning; not rewritten");
      continue;
    }
    try {
      const { mode, uid, gid } = await stat(target);
      await writeFileAtomic(target, Buffer.from(text, "latin1"), {
        mode: mode & 4095,
        owner: { uid, gid }
      });
      written.push(loaded.file.display);
      appendAll(edits, fileEdits);
    } catch (error) {
      fileProblem(`cannot write the file: ${error.message}`);
    }
  }
  edits.sort((a, b) => a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line);
  return { edits, problems, diff, written, missing };
}
function withPlatform(source, platform) {
  if (!platform) return source;
  return { target: (reference, named) => source.target(reference, named ?? platform) };
}
async function planFile(source, loaded, problems) {
  const file = loaded.file.display;
  const planned = await Promise.all(
    uniqueReferences(loaded.references).map(async (reference) => {
      const problem = (message, failure = true) => {
        problems.push({ file, line: reference.line, message, failure });
        return null;
      };
      if (reference.track) return null;
      let parsed;
      try {
        parsed = parseReferenceText(reference.value);
      } catch (error) {
        return problem(error.message);
      }
      const { tag, digest } = parsed;
      if (digest || reference.ignoreRules?.includes("unpinned")) return null;
      const unversioned = syntaxFindings({ ...reference, file, parsed }).find(
        (f) => f.rule !== "unpinned"
      );
      if (tag === void 0 || unversioned) {
        const advice = unversioned && !["no-tag", "latest-tag"].includes(unversioned.rule) ? unversioned.message : "name a version tag first";
        return problem(`${reference.value}: not pinned, ${advice}`, false);
      }
      let target;
      try {
        target = await source.target(parsed, reference.platform);
      } catch (error) {
        return problem(`${reference.value}: ${error.message}`);
      }
      if (!target.ok) return problem(target.message);
      const after = `${reference.value}@${target.digest}`;
      const place = digestPlace(reference, target.digest);
      if (reference.via && !place) {
        return problem(
          `${reference.value}: built from ${reference.via}; pin does not rewrite it (the digest would not follow the value): make it read ${after} there`,
          false
        );
      }
      if (place) return { reference, after, ...place };
      if (!reference.editable) {
        return problem(
          reference.context === "pullImage" ? `${reference.value}: pullImage needs imageDigest = "${target.digest}" and its hash; use nix-prefetch-docker` : `${reference.value}: written with quoting or escapes pin does not rewrite; make it read ${after}`
        );
      }
      return { reference, after, start: reference.start, end: reference.end, text: after };
    })
  );
  return planned.filter((edit) => edit !== null);
}
function digestPlace(reference, digest) {
  const field = reference.digestField;
  if (field) return { start: field.at, end: field.at, text: `${field.lead}digest: ${digest}` };
  const values = reference.valuesDigest;
  if (values) return { start: values.start, end: values.end, text: `${values.prefix}${digest}` };
  return null;
}
var CONTEXT_LINES = 3;
function oneHunk(file, oldLines, newLines) {
  let prefix = 0;
  while (prefix < oldLines.length && oldLines[prefix] === newLines[prefix]) prefix++;
  let suffix = 0;
  while (suffix < oldLines.length - prefix && suffix < newLines.length - prefix && oldLines.at(-1 - suffix) === newLines.at(-1 - suffix))
    suffix++;
  const from = Math.max(0, prefix - CONTEXT_LINES);
  const oldTo = Math.min(oldLines.length, oldLines.length - suffix + CONTEXT_LINES);
  const newTo = newLines.length - (oldLines.length - oldTo);
  let out = `--- a/${oneLine(file)}
+++ b/${oneLine(file)}
@@ -${from + 1},${oldTo - from} +${from + 1},${newTo - from} @@
`;
  for (let i = from; i < prefix; i++) out += ` ${oldLines[i]}
`;
  for (let i = prefix; i < oldLines.length - suffix; i++) out += `-${oldLines[i]}
`;
  for (let i = prefix; i < newLines.length - suffix; i++) out += `+${newLines[i]}
`;
  for (let i = oldLines.length - suffix; i < oldTo; i++) out += ` ${oldLines[i]}
`;
  return out;
}
function unifiedDiff(file, before, after) {
  const lines = (text) => {
    const list = text.split("\n");
    if (list.at(-1) === "") list.pop();
    return list;
  };
  const oldLines = lines(before);
  const newLines = lines(after);
  if (oldLines.length !== newLines.length) return oneHunk(file, oldLines, newLines);
  const changed = [];
  for (let i = 0; i < oldLines.length; i++) if (oldLines[i] !== newLines[i]) changed.push(i);
  if (changed.length === 0) return "";
  let out = `--- a/${oneLine(file)}
+++ b/${oneLine(file)}
`;
  let index = 0;
  while (index < changed.length) {
    const first = changed[index];
    let last = first;
    while (index + 1 < changed.length && changed[index + 1] - last <= 2 * CONTEXT_LINES + 1) {
      index++;
      last = changed[index];
    }
    index++;
    const from = Math.max(0, first - CONTEXT_LINES);
    const to = Math.min(oldLines.length - 1, last + CONTEXT_LINES);
    const count = to - from + 1;
    out += `@@ -${from + 1},${count} +${from + 1},${count} @@
`;
    for (let i = from; i <= to; i++) {
      if (oldLines[i] === newLines[i]) out += ` ${oldLines[i]}
`;
      else out += `-${oldLines[i]}
+${newLines[i]}
`;
    }
  }
  return out;
}

// src/cli/pin.ts
var PIN_USAGE = `Usage: nix-oci-hashes pin [options] [PATH...]

Rewrites every image reference that has a version tag but no digest to tag@sha256:<digest>, in
place: the platform's image digest where the file names one platform (FROM --platform=,
compose platform:, a nodeSelector on kubernetes.io/arch), else the tag's index digest; a kustomize
images entry gets a digest: line. Nothing else in the files changes. References built from Nix
bindings or variables are left alone, with the exact reference to write there by hand. Tags
that name no version (latest, alpine, stable\u2026) are left alone with advice.

Options:
  --dry-run              print the diff, write nothing
  --digests FILE         pin offline from this digests.json (and the digests.state.json beside
                         it, which holds the index digests for files that name no platform)
  --flake REF            pin offline from REF's ociHashes (nix eval --json REF#ociHashes)
  --platform OS/ARCH     where a file names no platform, pin this platform's image instead of
                         the tag's index: for a repository that deploys to one platform only
                         (offline, digests.json alone then suffices)
  --exclude GLOB         leave out files matching GLOB, relative to the working directory;
                         ** matches any depth (repeatable)
${REGISTRY_OPTIONS_HELP}

Exit status: 0 when every reference with a version tag is pinned, 1 when one could not be or a
file could not be read or written (the rest is still pinned), 2 on bad input or usage.`;
async function pinMain(argv) {
  const parsed = parseCommand(argv, PIN_OPTIONS, PIN_USAGE);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  const paths = positionals.slice(1);
  const dryRun = values["dry-run"];
  if (values.digests && values.flake) throw new UsageError("give --digests or --flake, not both");
  const platform = values.platform === void 0 ? void 0 : parsePlatform(values.platform);
  if (platform === null)
    throw new UsageError(`--platform ${values.platform}: not os/arch[/variant], e.g. linux/amd64`);
  const published = await findPublished(values, process.cwd());
  reportRefused(published);
  const client = published ? null : await registryClient(values);
  let result;
  try {
    result = await runPin({
      paths: paths.length > 0 ? paths : ["."],
      cwd: process.cwd(),
      source: published ? publishedSource(published) : registrySource(client),
      dryRun,
      exclude: values.exclude,
      platform: platform && canonicalPlatform(platform)
    });
  } finally {
    await client?.close();
  }
  if (dryRun) {
    printOut(Buffer.from(result.diff, "latin1"));
  } else {
    for (const edit of result.edits) {
      printOut(oneLine(`${edit.file}:${edit.line}: ${edit.before} \u2192 ${edit.after}`) + "\n");
    }
  }
  for (const problem of result.problems) {
    const level = problem.failure ? "error" : "note";
    printErr(oneLine(`${problem.file}:${problem.line}: ${level}: ${problem.message}`) + "\n");
  }
  if (client) reportRequestCounts(client.requestCounts());
  const files = new Set(result.edits.map((edit) => edit.file)).size;
  const verb = dryRun ? "would pin" : "pinned";
  printErr(`${verb} ${plural(result.edits.length, "reference")} in ${plural(files, "file")}
`);
  reportMissing(result.missing);
  if (result.missing.length > 0) return 2;
  return result.problems.some((problem) => problem.failure) ? 1 : 0;
}
export {
  pinMain
};
