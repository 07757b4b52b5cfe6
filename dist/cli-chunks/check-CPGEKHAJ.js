#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  findPublished,
  runCheck
} from "./chunk-2RNGOE6E.js";
import {
  REGISTRY_OPTIONS_HELP,
  REPORT_FORMATS,
  formatReport,
  formatSummary,
  parseCommand,
  registryClient,
  reportMissing,
  reportRefused,
  reportRequestCounts,
  sarifBase
} from "./chunk-6Y6MJNCH.js";
import {
  CHECK_OPTIONS,
  UsageError,
  printErr,
  printOut
} from "./chunk-M7DL5FG6.js";
import "./chunk-4NMLSESI.js";
import "./chunk-5DZA4GKR.js";
import "./chunk-MK2NFTYZ.js";

// src/cli/check.ts
var CHECK_USAGE = `Usage: nix-oci-hashes check [options] [PATH...]

Finds container image references in Nix files (image = "\u2026"; and dockerTools.pullImage),
Dockerfiles/Containerfiles (FROM, COPY --from), docker-compose files and Kubernetes manifests
under each PATH (files or directories; default: .) and reports references without a version tag,
without a digest, with a digest the registry does not have or that its tag no longer points to,
and images referenced differently in different places.

Options:
  --format text|json|github|sarif  findings as lines, as JSON, as GitHub annotations, or as
                         SARIF 2.1.0 for GitHub code scanning (default: text)
  --offline              only the rules that need no registry
  --digests FILE         published data (a digests.json) to look imageTrack / lib.image
                         images and tracks up in, and to suggest pins from (default: a
                         digests.json at the flake root or the repository root, if any)
  --flake REF            the same from REF's ociHashes (nix eval --json REF#ociHashes)
  --changed-since REF    version sync: check only the groups whose files changed since the
                         git revision REF (all of them when the settings file changed)
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
  if (values.digests && values.flake) throw new UsageError("give --digests or --flake, not both");
  const published = await findPublished({ ...values, discover: true }, process.cwd());
  reportRefused(published);
  const client = values.offline ? null : await registryClient(values);
  let result;
  try {
    result = await runCheck({
      paths: paths.length > 0 ? paths : ["."],
      cwd: process.cwd(),
      client,
      published,
      exclude: values.exclude,
      changedSince: values["changed-since"]
    });
  } finally {
    await client?.close();
  }
  printOut(formatReport(result, format, await sarifBase(process.cwd())));
  if (client) reportRequestCounts(client.requestCounts());
  printErr(
    formatSummary(result, {
      verbose: values.verbose,
      publishedFrom: "--digests FILE or --flake REF"
    }) + "\n"
  );
  reportMissing(result.missing);
  if (result.missing.length > 0) return 2;
  return result.findings.some((finding) => finding.severity === "error") ? 1 : 0;
}
export {
  checkMain
};
