#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  RegistryClient
} from "./chunk-FYAFEDYE.js";
import "./chunk-RAWTT4CS.js";
import "./chunk-56YBZUVI.js";
export {
  RegistryClient
};
