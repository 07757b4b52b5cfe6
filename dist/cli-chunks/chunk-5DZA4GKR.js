#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);

// src/registry/image-reference.ts
var DOCKER_HUB = "docker.io";
var DOCKER_HUB_ALIASES = /* @__PURE__ */ new Set(["docker.io", "index.docker.io", "registry-1.docker.io"]);
var DOCKER_HUB_ENDPOINT = "https://registry-1.docker.io";
var TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
var PATH_COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
var REGISTRY_HOST = /^(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[a-fA-F0-9:.]+\])(?::\d{1,5})?$/;
var ImageReferenceError = class extends Error {
  name = "ImageReferenceError";
};
function parseImageReference(written) {
  const fail = (why) => {
    throw new ImageReferenceError(`"${written}" is not a valid image name: ${why}`);
  };
  if (written.includes("@")) fail("images.json names images without a digest");
  const slash = written.indexOf("/");
  const first = slash === -1 ? "" : written.slice(0, slash);
  const hasRegistry = first !== "" && (first.includes(".") || first.includes(":") || first === "localhost");
  const registryWritten = hasRegistry ? first : DOCKER_HUB;
  let path = hasRegistry ? written.slice(slash + 1) : written;
  if (path.includes(":")) fail('put tags in "tags", not in the image name');
  if (hasRegistry && !isRegistryHost(registryWritten))
    fail(`"${registryWritten}" is not a registry host`);
  const registry = canonicalRegistryName(registryWritten);
  const components = path.split("/");
  for (const component of components) {
    if (!PATH_COMPONENT.test(component)) {
      fail(
        `path component "${component}" must be lowercase letters and digits, separated by ".", "_", "__" or "-"`
      );
    }
  }
  if (registry === DOCKER_HUB && components.length === 1) path = `library/${path}`;
  return { written, registry, repository: path };
}
function defaultEndpoint(registry) {
  if (registry === DOCKER_HUB) return DOCKER_HUB_ENDPOINT;
  return `${isLoopback(registry) ? "http" : "https"}://${registry}`;
}
function isLoopback(registry) {
  const { hostname } = new URL(`http://${registry}`);
  return hostname === "localhost" || hostname === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}
function isRegistryHost(host) {
  if (!REGISTRY_HOST.test(host)) return false;
  if (!host.startsWith("[")) return true;
  try {
    new URL(`http://${host}`);
    return true;
  } catch {
    return false;
  }
}
function canonicalRegistryName(name) {
  const lower = name.toLowerCase();
  return DOCKER_HUB_ALIASES.has(lower) ? DOCKER_HUB : lower;
}
function imageKey(image) {
  return `${image.registry}/${image.repository}`;
}

export {
  DOCKER_HUB,
  TAG_PATTERN,
  ImageReferenceError,
  parseImageReference,
  defaultEndpoint,
  canonicalRegistryName,
  imageKey
};
