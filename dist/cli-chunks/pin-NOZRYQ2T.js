#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  loadSources,
  parseReferenceText,
  pinTarget
} from "./chunk-FXTRB7HK.js";
import {
  REGISTRY_OPTIONS_HELP,
  parseCommand,
  registryClient,
  reportMissing,
  reportRequestCounts
} from "./chunk-Y5NPMX53.js";
import {
  PIN_OPTIONS,
  printErr,
  printOut
} from "./chunk-3IBEI3I3.js";
import {
  plural
} from "./chunk-XDNX3J6G.js";
import "./chunk-5DZA4GKR.js";
import {
  __require
} from "./chunk-MK2NFTYZ.js";

// on-demand:node:fs/promises:readFile,writeFile
var __module;
var __load = () => __module ??= __require("node:fs/promises");
function readFile(...args) {
  return new Promise(
    (resolve, reject) => __require("node:fs").readFile(...args, (error, value) => error ? reject(error) : resolve(value))
  );
}
function writeFile(...args) {
  return __load().writeFile(...args);
}

// src/check/pin.ts
async function runPin(options) {
  const sources = await loadSources(options.paths, options.cwd, options.exclude);
  const problems = sources.findings.filter((f) => f.severity === "error").map((f) => ({ file: f.file, line: f.line, message: f.message, failure: true }));
  const planned = await Promise.all(
    sources.files.map((file) => planFile(options.client, file, problems))
  );
  const edits = [];
  const written = [];
  let diff = "";
  for (const [index, loaded] of sources.files.entries()) {
    const plan = planned[index];
    if (plan.length === 0) continue;
    let text = loaded.text;
    for (const edit of [...plan].sort((a, b) => b.start - a.start)) {
      text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
    }
    for (const { reference, after } of plan) {
      edits.push({
        file: loaded.file.display,
        line: reference.line,
        before: reference.value,
        after
      });
    }
    diff += unifiedDiff(loaded.file.display, loaded.text, text);
    if (options.dryRun) continue;
    const now = await readFile(loaded.file.path).catch(() => null);
    if (!now || now.toString("latin1") !== loaded.text) {
      problems.push({
        file: loaded.file.display,
        line: 1,
        message: "the file changed while pinning; not rewritten",
        failure: true
      });
      continue;
    }
    await writeFile(loaded.file.path, Buffer.from(text, "latin1"));
    written.push(loaded.file.display);
  }
  edits.sort((a, b) => a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line);
  return { edits, problems, diff, written, missing: sources.missing };
}
async function planFile(client, loaded, problems) {
  const file = loaded.file.display;
  const planned = await Promise.all(
    loaded.references.map(async (reference) => {
      const problem = (message, failure = true) => {
        problems.push({ file, line: reference.line, message, failure });
        return null;
      };
      let parsed;
      try {
        parsed = parseReferenceText(reference.value);
      } catch (error) {
        return problem(error.message);
      }
      const { name, tag, digest, image } = parsed;
      if (digest || reference.ignoreRules?.includes("unpinned")) return null;
      if (tag === void 0 || tag === "latest") {
        return problem(`${reference.value}: not pinned, name a version tag first`, false);
      }
      if (reference.via && !reference.digestField) {
        return problem(
          `${reference.value}: built from ${reference.via}; pin does not rewrite it (the digest would not follow the value), pin it there by hand`,
          false
        );
      }
      if (!reference.editable && !reference.digestField) {
        return problem(
          reference.context === "pullImage" ? `${reference.value}: pullImage needs imageDigest and its hash; use nix-prefetch-docker` : `${reference.value}: written with quoting or escapes pin does not rewrite`
        );
      }
      try {
        const target = await pinTarget(client, image, tag, reference.platform);
        if (!target.ok) {
          return problem(
            target.reason === "tag-not-found" ? `${name}:${tag} does not exist in the registry` : `${name}:${tag} has no ${reference.platform} image`
          );
        }
        const after = `${reference.value}@${target.digest}`;
        const field = reference.digestField;
        return field ? {
          reference,
          after,
          start: field.at,
          end: field.at,
          text: `${field.lead}digest: ${target.digest}`
        } : { reference, after, start: reference.start, end: reference.end, text: after };
      } catch (error) {
        return problem(`${reference.value}: ${error.message}`);
      }
    })
  );
  return planned.filter((edit) => edit !== null);
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
  let out = `--- a/${file}
+++ b/${file}
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
  let out = `--- a/${file}
+++ b/${file}
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
bindings or variables are left alone, with the place to pin them by hand.

Options:
  --dry-run              print the diff, write nothing
  --exclude GLOB         leave out files matching GLOB, relative to the working directory;
                         ** matches any depth (repeatable)
${REGISTRY_OPTIONS_HELP}

Exit status: 0 when every reference with a version tag is pinned, 1 when one could not be,
2 on bad input or usage.`;
async function pinMain(argv) {
  const parsed = parseCommand(argv, PIN_OPTIONS, PIN_USAGE);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  const paths = positionals.slice(1);
  const dryRun = values["dry-run"];
  const client = await registryClient(values);
  let result;
  try {
    result = await runPin({
      paths: paths.length > 0 ? paths : ["."],
      cwd: process.cwd(),
      client,
      dryRun,
      exclude: values.exclude
    });
  } finally {
    await client.close();
  }
  if (dryRun) {
    printOut(Buffer.from(result.diff, "latin1"));
  } else {
    for (const edit of result.edits) {
      printOut(`${edit.file}:${edit.line}: ${edit.before} \u2192 ${edit.after}
`);
    }
  }
  for (const problem of result.problems) {
    const level = problem.failure ? "error" : "note";
    printErr(`${problem.file}:${problem.line}: ${level}: ${problem.message}
`);
  }
  reportRequestCounts(client.requestCounts());
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
