#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  RegistryClient
} from "./chunk-D4WM25HF.js";
import "./chunk-J4W6OBZH.js";
import "./chunk-56YBZUVI.js";
export {
  RegistryClient
};
