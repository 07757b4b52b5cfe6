#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  basename,
  dirname2 as dirname,
  join2 as join
} from "./chunk-6Y6MJNCH.js";
import {
  __require
} from "./chunk-MK2NFTYZ.js";

// on-demand:node:crypto:randomBytes
var __module;
var __load = () => __module ??= __require("node:crypto");
function randomBytes(...args) {
  return __load().randomBytes(...args);
}

// on-demand:node:fs/promises:open,readdir,rename,unlink
var __module2;
var __load2 = () => __module2 ??= __require("node:fs/promises");
function open(...args) {
  return __load2().open(...args);
}
function readdir(...args) {
  return new Promise(
    (resolve, reject) => __require("node:fs").readdir(...args, (error, value) => error ? reject(error) : resolve(value))
  );
}
function rename(...args) {
  return __load2().rename(...args);
}
function unlink(...args) {
  return __load2().unlink(...args);
}

// src/common/atomic-write.ts
async function writeFileAtomic(path, content, options = {}) {
  await removeAbandonedTemporaries(path);
  const mode = options.mode ?? 420;
  const temporary = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`
  );
  const handle = await open(temporary, "wx", mode);
  try {
    await handle.writeFile(content, typeof content === "string" ? "utf8" : void 0);
    if (options.mode !== void 0) await handle.chmod(mode);
    const { owner } = options;
    if (owner && (owner.uid !== process.getuid?.() || owner.gid !== process.getgid?.()))
      await handle.chown(owner.uid, owner.gid).catch((error) => {
        if (error.code !== "EPERM") throw error;
      });
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(temporary).catch(() => void 0);
    throw error;
  }
  await handle.close();
  try {
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => void 0);
    throw error;
  }
}
async function removeAbandonedTemporaries(path) {
  const prefix = `.${basename(path)}.`;
  const folder = dirname(path);
  let names;
  try {
    names = await readdir(folder);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = /^(\d+)\.[0-9a-f]{8}\.tmp$/.exec(name.slice(prefix.length))?.[1];
    if (pid === void 0 || isRunning(Number(pid))) continue;
    await unlink(join(folder, name)).catch(() => void 0);
  }
}
function isRunning(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}

export {
  writeFileAtomic
};
