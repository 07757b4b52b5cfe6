#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);

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
async function settleAll(items, limit, task) {
  const semaphore = new Semaphore(limit);
  return Promise.allSettled(items.map((item) => semaphore.run(() => task(item))));
}

export {
  Semaphore,
  settleAll
};
