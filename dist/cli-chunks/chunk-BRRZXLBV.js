#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);

// src/registry/errors.ts
var RegistryError = class extends Error {
  constructor(request, reason, status, unreachable = false) {
    super(`${request}: ${reason}`);
    this.request = request;
    this.reason = reason;
    this.status = status;
    this.unreachable = unreachable;
  }
  request;
  reason;
  status;
  unreachable;
  name = "RegistryError";
};
var PullQuotaDeferral = class extends RegistryError {
  constructor(request, quota) {
    super(request, `deferred: ${quota}`);
    this.quota = quota;
  }
  quota;
  name = "PullQuotaDeferral";
};
function describeRequest(method, url) {
  const parsed = new URL(url);
  const where = parsed.origin === "null" ? `${parsed.protocol}${parsed.pathname.slice(0, 100)}` : `${parsed.origin}${parsed.pathname}`;
  return `${method} ${where}`;
}
function errorDetail(body) {
  try {
    const document = JSON.parse(body.toString("utf8"));
    const first = document.errors?.[0];
    if (first?.code) return ` (${first.code}${first.message ? `: ${first.message}` : ""})`;
    if (typeof document.error === "string") {
      const description = typeof document.error_description === "string" ? `: ${document.error_description}` : "";
      return ` (${document.error}${description})`;
    }
    if (typeof document.details === "string") return ` (${document.details})`;
  } catch {
  }
  return "";
}

// src/common/concurrency.ts
var Semaphore = class {
  constructor(limit) {
    this.limit = limit;
  }
  limit;
  active = 0;
  waiting = [];
  async run(task) {
    if (this.active >= this.limit) await new Promise((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
};

// src/registry/rate-limit-headers.ts
function parseRateLimit(value) {
  const match = /^\s*(\d+)\s*(?:;\s*w\s*=\s*(\d+))?/.exec(value ?? "");
  if (!match) return void 0;
  return {
    count: Number(match[1]),
    ...match[2] !== void 0 ? { windowSeconds: Number(match[2]) } : {}
  };
}
function spentWindowReason(headers, body) {
  let detail;
  try {
    const document = JSON.parse(body.toString("utf8"));
    const error = document.errors?.find((entry) => entry.code === "TOOMANYREQUESTS");
    if (error) detail = `TOOMANYREQUESTS${error.message ? `: ${error.message}` : ""}`;
  } catch {
  }
  const remaining = parseRateLimit(headers["ratelimit-remaining"]);
  const figures = describeFigures(remaining, parseRateLimit(headers["ratelimit-limit"]));
  if (detail) return figures ? `${figures} (${detail})` : detail;
  return remaining?.count === 0 ? figures : void 0;
}
function describeFigures(remaining, limit) {
  if (!remaining) return void 0;
  const window = remaining.windowSeconds ?? limit?.windowSeconds;
  const of = limit ? ` of ${limit.count}` : "";
  return `${remaining.count}${of}${window !== void 0 ? ` per ${window} s` : ""} left`;
}

// src/registry/pull-budget.ts
var PullBudget = class {
  constructor(reserve) {
    this.reserve = reserve;
  }
  reserve;
  remaining;
  limit;
  /** Manifest GETs sent since `remaining` was last read from the registry. */
  spent = 0;
  spentReason;
  forbidden;
  /** Reads the figures a manifest response carries; the lower of theirs and ours wins. */
  observe(headers) {
    const remaining = parseRateLimit(headers["ratelimit-remaining"]);
    if (!remaining) return;
    this.limit = parseRateLimit(headers["ratelimit-limit"]) ?? this.limit;
    if (!this.remaining || remaining.count <= this.left()) {
      this.remaining = remaining;
      this.spent = 0;
    }
  }
  /** Takes one pull for a GET about to be sent, or throws PullQuotaDeferral. */
  take(method, url, counted) {
    const reason = this.forbidden ?? this.refusal();
    if (reason) throw new PullQuotaDeferral(describeRequest(method, url), reason);
    if (counted) this.spent++;
  }
  /** No GET at all this run, whatever the quota. */
  forbid(reason) {
    this.forbidden = reason;
  }
  /** The window is spent: the registry said so with a 429. */
  exhaust(reason) {
    this.spentReason ??= reason;
  }
  /** Why no more GETs go out, or undefined while they may. */
  refusal() {
    if (this.spentReason) return this.spentReason;
    if (!this.remaining || this.left() > this.reserve) return void 0;
    const left = { ...this.remaining, count: Math.max(0, this.left()) };
    const kept = this.reserve > 0 ? `, ${this.reserve} kept in reserve` : "";
    return `${describeFigures(left, this.limit)}${kept}`;
  }
  /** Pulls this run may still spend, or undefined when the registry announced no quota. */
  spendable() {
    if (this.spentReason) return 0;
    return this.remaining ? Math.max(0, this.left() - this.reserve) : void 0;
  }
  /** The quota as last announced: `100 of 100 per 21600 s left`. */
  announced() {
    return describeFigures(this.remaining, this.limit);
  }
  /** Pulls a full window allows, as announced. */
  perWindow() {
    return this.limit?.count;
  }
  left() {
    return (this.remaining?.count ?? 0) - this.spent;
  }
};

export {
  RegistryError,
  PullQuotaDeferral,
  describeRequest,
  errorDetail,
  Semaphore,
  spentWindowReason,
  PullBudget
};
