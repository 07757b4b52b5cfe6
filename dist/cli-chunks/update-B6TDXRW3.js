#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  settleAll
} from "./chunk-6RI3BQYW.js";
import {
  loadDockerCredentials,
  parseCommand,
  positiveNumber,
  registryLimits,
  reportRequestCounts
} from "./chunk-XTCWDG2P.js";
import {
  UPDATE_OPTIONS,
  UsageError,
  parseMirrors
} from "./chunk-CCYZ222K.js";
import {
  canonicalPlatform,
  parsePlatform,
  platformDigests,
  platformOfConfig,
  plural,
  shortDigest
} from "./chunk-RAWTT4CS.js";
import {
  ImageReferenceError,
  __commonJS,
  __toESM,
  parseImageReference
} from "./chunk-4JNJNJWB.js";

// node_modules/ajv/dist/runtime/ucs2length.js
var require_ucs2length = __commonJS({
  "node_modules/ajv/dist/runtime/ucs2length.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    function ucs2length(str) {
      const len = str.length;
      let length = 0;
      let pos = 0;
      let value;
      while (pos < len) {
        length++;
        value = str.charCodeAt(pos++);
        if (value >= 55296 && value <= 56319 && pos < len) {
          value = str.charCodeAt(pos);
          if ((value & 64512) === 56320)
            pos++;
        }
      }
      return length;
    }
    exports.default = ucs2length;
    ucs2length.code = 'require("ajv/dist/runtime/ucs2length").default';
  }
});

// node_modules/fast-deep-equal/index.js
var require_fast_deep_equal = __commonJS({
  "node_modules/fast-deep-equal/index.js"(exports, module) {
    "use strict";
    module.exports = function equal(a, b) {
      if (a === b) return true;
      if (a && b && typeof a == "object" && typeof b == "object") {
        if (a.constructor !== b.constructor) return false;
        var length, i, keys;
        if (Array.isArray(a)) {
          length = a.length;
          if (length != b.length) return false;
          for (i = length; i-- !== 0; )
            if (!equal(a[i], b[i])) return false;
          return true;
        }
        if (a.constructor === RegExp) return a.source === b.source && a.flags === b.flags;
        if (a.valueOf !== Object.prototype.valueOf) return a.valueOf() === b.valueOf();
        if (a.toString !== Object.prototype.toString) return a.toString() === b.toString();
        keys = Object.keys(a);
        length = keys.length;
        if (length !== Object.keys(b).length) return false;
        for (i = length; i-- !== 0; )
          if (!Object.prototype.hasOwnProperty.call(b, keys[i])) return false;
        for (i = length; i-- !== 0; ) {
          var key = keys[i];
          if (!equal(a[key], b[key])) return false;
        }
        return true;
      }
      return a !== a && b !== b;
    };
  }
});

// node_modules/ajv/dist/runtime/equal.js
var require_equal = __commonJS({
  "node_modules/ajv/dist/runtime/equal.js"(exports) {
    "use strict";
    Object.defineProperty(exports, "__esModule", { value: true });
    var equal = require_fast_deep_equal();
    equal.code = 'require("ajv/dist/runtime/equal").default';
    exports.default = equal;
  }
});

// src/update/report.ts
function shortReference(reference) {
  const at = reference.lastIndexOf("@");
  const digest = at === -1 ? "" : reference.slice(at + 1);
  const name = at === -1 ? reference : reference.slice(0, at);
  const colon = name.lastIndexOf(":");
  const tag = colon > name.lastIndexOf("/") ? name.slice(colon + 1) : "";
  return digest ? `${tag}@sha256:${shortDigest(digest)}` : tag;
}
function formatChange(change) {
  const where = `${change.image} ${change.track} ${change.platform}`;
  if (change.before === void 0) return `added   ${where}: ${shortReference(change.after)}`;
  if (change.after === void 0) return `removed ${where}: was ${shortReference(change.before)}`;
  return `updated ${where}: ${shortReference(change.before)} \u2192 ${shortReference(change.after)}`;
}

// src/update/config.ts
import { readFile } from "node:fs/promises";

// src/update/images-validator.generated.js
var import_ucs2length = __toESM(require_ucs2length(), 1);
var import_equal = __toESM(require_equal(), 1);
var validate = validate10;
var schema12 = { "type": "object", "additionalProperties": false, "required": ["image"], "properties": { "image": { "type": "string", "minLength": 1, "description": "Image name as you write it (docker.io/nextcloud, ghcr.io/org/app, nginx, host:5000/team/app). Key in digests.json." }, "platforms": { "type": "array", "minItems": 1, "uniqueItems": true, "items": { "type": "string", "pattern": "^[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?$" }, "description": 'os/arch[/variant]; default ["linux/amd64", "linux/arm64"].' }, "tracks": { "type": "array", "uniqueItems": true, "items": { "enum": ["major", "major-minor", "major-minor-patch"] }, "description": "Which version tracks to publish; default all three." }, "tagPattern": { "type": "string", "minLength": 1, "description": "Regular expression with named groups major (required), minor, patch and further numeric groups that order tags." }, "minVersion": { "type": "string", "pattern": "^v?[0-9]+(\\.[0-9]+)*$", "description": 'Versions below this are ignored entirely, e.g. "2024.12".' }, "tags": { "type": "array", "uniqueItems": true, "items": { "type": "string", "pattern": "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$" }, "description": "Literal tags pinned as they are (latest, stable); the key is the tag." }, "initialMajor": { "type": "array", "items": { "type": "string" }, "description": "Legacy (Renovate-based flake): tags that seeded this track kind. See the migration note." }, "initialMajorMinor": { "type": "array", "items": { "type": "string" }, "description": "Legacy (Renovate-based flake): tags that seeded this track kind. See the migration note." }, "initialMajorMinorPatch": { "type": "array", "items": { "type": "string" }, "description": "Legacy (Renovate-based flake): tags that seeded this track kind. See the migration note." } } };
var func2 = Object.prototype.hasOwnProperty;
var func3 = import_ucs2length.default.default;
var func0 = import_equal.default.default;
var pattern0 = new RegExp("^[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?$", "u");
var pattern1 = new RegExp("^v?[0-9]+(\\.[0-9]+)*$", "u");
var pattern2 = new RegExp("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", "u");
function validate10(data, { instancePath = "", parentData, parentDataProperty, rootData = data } = {}) {
  ;
  let vErrors = null;
  let errors = 0;
  const _errs0 = errors;
  let valid0 = true;
  const _errs1 = errors;
  if (!Array.isArray(data)) {
    const err0 = {};
    if (vErrors === null) {
      vErrors = [err0];
    } else {
      vErrors.push(err0);
    }
    errors++;
  }
  var _valid0 = _errs1 === errors;
  errors = _errs0;
  if (vErrors !== null) {
    if (_errs0) {
      vErrors.length = _errs0;
    } else {
      vErrors = null;
    }
  }
  let ifClause0;
  if (_valid0) {
    const _errs3 = errors;
    if (Array.isArray(data)) {
      const len0 = data.length;
      for (let i0 = 0; i0 < len0; i0++) {
        let data0 = data[i0];
        if (data0 && typeof data0 == "object" && !Array.isArray(data0)) {
          if (data0.image === void 0) {
            const err1 = { instancePath: instancePath + "/" + i0, schemaPath: "#/definitions/image/required", keyword: "required", params: { missingProperty: "image" }, message: "must have required property 'image'" };
            if (vErrors === null) {
              vErrors = [err1];
            } else {
              vErrors.push(err1);
            }
            errors++;
          }
          for (const key0 in data0) {
            if (!func2.call(schema12.properties, key0)) {
              const err2 = { instancePath: instancePath + "/" + i0, schemaPath: "#/definitions/image/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key0 }, message: "must NOT have additional properties" };
              if (vErrors === null) {
                vErrors = [err2];
              } else {
                vErrors.push(err2);
              }
              errors++;
            }
          }
          if (data0.image !== void 0) {
            let data1 = data0.image;
            if (typeof data1 === "string") {
              if (func3(data1) < 1) {
                const err3 = { instancePath: instancePath + "/" + i0 + "/image", schemaPath: "#/definitions/image/properties/image/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters" };
                if (vErrors === null) {
                  vErrors = [err3];
                } else {
                  vErrors.push(err3);
                }
                errors++;
              }
            } else {
              const err4 = { instancePath: instancePath + "/" + i0 + "/image", schemaPath: "#/definitions/image/properties/image/type", keyword: "type", params: { type: "string" }, message: "must be string" };
              if (vErrors === null) {
                vErrors = [err4];
              } else {
                vErrors.push(err4);
              }
              errors++;
            }
          }
          if (data0.platforms !== void 0) {
            let data2 = data0.platforms;
            if (Array.isArray(data2)) {
              if (data2.length < 1) {
                const err5 = { instancePath: instancePath + "/" + i0 + "/platforms", schemaPath: "#/definitions/image/properties/platforms/minItems", keyword: "minItems", params: { limit: 1 }, message: "must NOT have fewer than 1 items" };
                if (vErrors === null) {
                  vErrors = [err5];
                } else {
                  vErrors.push(err5);
                }
                errors++;
              }
              const len1 = data2.length;
              for (let i1 = 0; i1 < len1; i1++) {
                let data3 = data2[i1];
                if (typeof data3 === "string") {
                  if (!pattern0.test(data3)) {
                    const err6 = { instancePath: instancePath + "/" + i0 + "/platforms/" + i1, schemaPath: "#/definitions/image/properties/platforms/items/pattern", keyword: "pattern", params: { pattern: "^[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?$" }, message: 'must match pattern "^[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?$"' };
                    if (vErrors === null) {
                      vErrors = [err6];
                    } else {
                      vErrors.push(err6);
                    }
                    errors++;
                  }
                } else {
                  const err7 = { instancePath: instancePath + "/" + i0 + "/platforms/" + i1, schemaPath: "#/definitions/image/properties/platforms/items/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                  if (vErrors === null) {
                    vErrors = [err7];
                  } else {
                    vErrors.push(err7);
                  }
                  errors++;
                }
              }
              let i2 = data2.length;
              let j0;
              if (i2 > 1) {
                const indices0 = {};
                for (; i2--; ) {
                  let item0 = data2[i2];
                  if (typeof item0 !== "string") {
                    continue;
                  }
                  if (typeof indices0[item0] == "number") {
                    j0 = indices0[item0];
                    const err8 = { instancePath: instancePath + "/" + i0 + "/platforms", schemaPath: "#/definitions/image/properties/platforms/uniqueItems", keyword: "uniqueItems", params: { i: i2, j: j0 }, message: "must NOT have duplicate items (items ## " + j0 + " and " + i2 + " are identical)" };
                    if (vErrors === null) {
                      vErrors = [err8];
                    } else {
                      vErrors.push(err8);
                    }
                    errors++;
                    break;
                  }
                  indices0[item0] = i2;
                }
              }
            } else {
              const err9 = { instancePath: instancePath + "/" + i0 + "/platforms", schemaPath: "#/definitions/image/properties/platforms/type", keyword: "type", params: { type: "array" }, message: "must be array" };
              if (vErrors === null) {
                vErrors = [err9];
              } else {
                vErrors.push(err9);
              }
              errors++;
            }
          }
          if (data0.tracks !== void 0) {
            let data4 = data0.tracks;
            if (Array.isArray(data4)) {
              const len2 = data4.length;
              for (let i3 = 0; i3 < len2; i3++) {
                let data5 = data4[i3];
                if (!(data5 === "major" || data5 === "major-minor" || data5 === "major-minor-patch")) {
                  const err10 = { instancePath: instancePath + "/" + i0 + "/tracks/" + i3, schemaPath: "#/definitions/image/properties/tracks/items/enum", keyword: "enum", params: { allowedValues: schema12.properties.tracks.items.enum }, message: "must be equal to one of the allowed values" };
                  if (vErrors === null) {
                    vErrors = [err10];
                  } else {
                    vErrors.push(err10);
                  }
                  errors++;
                }
              }
              let i4 = data4.length;
              let j1;
              if (i4 > 1) {
                outer0: for (; i4--; ) {
                  for (j1 = i4; j1--; ) {
                    if (func0(data4[i4], data4[j1])) {
                      const err11 = { instancePath: instancePath + "/" + i0 + "/tracks", schemaPath: "#/definitions/image/properties/tracks/uniqueItems", keyword: "uniqueItems", params: { i: i4, j: j1 }, message: "must NOT have duplicate items (items ## " + j1 + " and " + i4 + " are identical)" };
                      if (vErrors === null) {
                        vErrors = [err11];
                      } else {
                        vErrors.push(err11);
                      }
                      errors++;
                      break outer0;
                    }
                  }
                }
              }
            } else {
              const err12 = { instancePath: instancePath + "/" + i0 + "/tracks", schemaPath: "#/definitions/image/properties/tracks/type", keyword: "type", params: { type: "array" }, message: "must be array" };
              if (vErrors === null) {
                vErrors = [err12];
              } else {
                vErrors.push(err12);
              }
              errors++;
            }
          }
          if (data0.tagPattern !== void 0) {
            let data6 = data0.tagPattern;
            if (typeof data6 === "string") {
              if (func3(data6) < 1) {
                const err13 = { instancePath: instancePath + "/" + i0 + "/tagPattern", schemaPath: "#/definitions/image/properties/tagPattern/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters" };
                if (vErrors === null) {
                  vErrors = [err13];
                } else {
                  vErrors.push(err13);
                }
                errors++;
              }
            } else {
              const err14 = { instancePath: instancePath + "/" + i0 + "/tagPattern", schemaPath: "#/definitions/image/properties/tagPattern/type", keyword: "type", params: { type: "string" }, message: "must be string" };
              if (vErrors === null) {
                vErrors = [err14];
              } else {
                vErrors.push(err14);
              }
              errors++;
            }
          }
          if (data0.minVersion !== void 0) {
            let data7 = data0.minVersion;
            if (typeof data7 === "string") {
              if (!pattern1.test(data7)) {
                const err15 = { instancePath: instancePath + "/" + i0 + "/minVersion", schemaPath: "#/definitions/image/properties/minVersion/pattern", keyword: "pattern", params: { pattern: "^v?[0-9]+(\\.[0-9]+)*$" }, message: 'must match pattern "^v?[0-9]+(\\.[0-9]+)*$"' };
                if (vErrors === null) {
                  vErrors = [err15];
                } else {
                  vErrors.push(err15);
                }
                errors++;
              }
            } else {
              const err16 = { instancePath: instancePath + "/" + i0 + "/minVersion", schemaPath: "#/definitions/image/properties/minVersion/type", keyword: "type", params: { type: "string" }, message: "must be string" };
              if (vErrors === null) {
                vErrors = [err16];
              } else {
                vErrors.push(err16);
              }
              errors++;
            }
          }
          if (data0.tags !== void 0) {
            let data8 = data0.tags;
            if (Array.isArray(data8)) {
              const len3 = data8.length;
              for (let i5 = 0; i5 < len3; i5++) {
                let data9 = data8[i5];
                if (typeof data9 === "string") {
                  if (!pattern2.test(data9)) {
                    const err17 = { instancePath: instancePath + "/" + i0 + "/tags/" + i5, schemaPath: "#/definitions/image/properties/tags/items/pattern", keyword: "pattern", params: { pattern: "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$" }, message: 'must match pattern "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$"' };
                    if (vErrors === null) {
                      vErrors = [err17];
                    } else {
                      vErrors.push(err17);
                    }
                    errors++;
                  }
                } else {
                  const err18 = { instancePath: instancePath + "/" + i0 + "/tags/" + i5, schemaPath: "#/definitions/image/properties/tags/items/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                  if (vErrors === null) {
                    vErrors = [err18];
                  } else {
                    vErrors.push(err18);
                  }
                  errors++;
                }
              }
              let i6 = data8.length;
              let j2;
              if (i6 > 1) {
                const indices1 = {};
                for (; i6--; ) {
                  let item1 = data8[i6];
                  if (typeof item1 !== "string") {
                    continue;
                  }
                  if (typeof indices1[item1] == "number") {
                    j2 = indices1[item1];
                    const err19 = { instancePath: instancePath + "/" + i0 + "/tags", schemaPath: "#/definitions/image/properties/tags/uniqueItems", keyword: "uniqueItems", params: { i: i6, j: j2 }, message: "must NOT have duplicate items (items ## " + j2 + " and " + i6 + " are identical)" };
                    if (vErrors === null) {
                      vErrors = [err19];
                    } else {
                      vErrors.push(err19);
                    }
                    errors++;
                    break;
                  }
                  indices1[item1] = i6;
                }
              }
            } else {
              const err20 = { instancePath: instancePath + "/" + i0 + "/tags", schemaPath: "#/definitions/image/properties/tags/type", keyword: "type", params: { type: "array" }, message: "must be array" };
              if (vErrors === null) {
                vErrors = [err20];
              } else {
                vErrors.push(err20);
              }
              errors++;
            }
          }
          if (data0.initialMajor !== void 0) {
            let data10 = data0.initialMajor;
            if (Array.isArray(data10)) {
              const len4 = data10.length;
              for (let i7 = 0; i7 < len4; i7++) {
                if (typeof data10[i7] !== "string") {
                  const err21 = { instancePath: instancePath + "/" + i0 + "/initialMajor/" + i7, schemaPath: "#/definitions/image/properties/initialMajor/items/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                  if (vErrors === null) {
                    vErrors = [err21];
                  } else {
                    vErrors.push(err21);
                  }
                  errors++;
                }
              }
            } else {
              const err22 = { instancePath: instancePath + "/" + i0 + "/initialMajor", schemaPath: "#/definitions/image/properties/initialMajor/type", keyword: "type", params: { type: "array" }, message: "must be array" };
              if (vErrors === null) {
                vErrors = [err22];
              } else {
                vErrors.push(err22);
              }
              errors++;
            }
          }
          if (data0.initialMajorMinor !== void 0) {
            let data12 = data0.initialMajorMinor;
            if (Array.isArray(data12)) {
              const len5 = data12.length;
              for (let i8 = 0; i8 < len5; i8++) {
                if (typeof data12[i8] !== "string") {
                  const err23 = { instancePath: instancePath + "/" + i0 + "/initialMajorMinor/" + i8, schemaPath: "#/definitions/image/properties/initialMajorMinor/items/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                  if (vErrors === null) {
                    vErrors = [err23];
                  } else {
                    vErrors.push(err23);
                  }
                  errors++;
                }
              }
            } else {
              const err24 = { instancePath: instancePath + "/" + i0 + "/initialMajorMinor", schemaPath: "#/definitions/image/properties/initialMajorMinor/type", keyword: "type", params: { type: "array" }, message: "must be array" };
              if (vErrors === null) {
                vErrors = [err24];
              } else {
                vErrors.push(err24);
              }
              errors++;
            }
          }
          if (data0.initialMajorMinorPatch !== void 0) {
            let data14 = data0.initialMajorMinorPatch;
            if (Array.isArray(data14)) {
              const len6 = data14.length;
              for (let i9 = 0; i9 < len6; i9++) {
                if (typeof data14[i9] !== "string") {
                  const err25 = { instancePath: instancePath + "/" + i0 + "/initialMajorMinorPatch/" + i9, schemaPath: "#/definitions/image/properties/initialMajorMinorPatch/items/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                  if (vErrors === null) {
                    vErrors = [err25];
                  } else {
                    vErrors.push(err25);
                  }
                  errors++;
                }
              }
            } else {
              const err26 = { instancePath: instancePath + "/" + i0 + "/initialMajorMinorPatch", schemaPath: "#/definitions/image/properties/initialMajorMinorPatch/type", keyword: "type", params: { type: "array" }, message: "must be array" };
              if (vErrors === null) {
                vErrors = [err26];
              } else {
                vErrors.push(err26);
              }
              errors++;
            }
          }
        } else {
          const err27 = { instancePath: instancePath + "/" + i0, schemaPath: "#/definitions/image/type", keyword: "type", params: { type: "object" }, message: "must be object" };
          if (vErrors === null) {
            vErrors = [err27];
          } else {
            vErrors.push(err27);
          }
          errors++;
        }
      }
    } else {
      const err28 = { instancePath, schemaPath: "#/then/type", keyword: "type", params: { type: "array" }, message: "must be array" };
      if (vErrors === null) {
        vErrors = [err28];
      } else {
        vErrors.push(err28);
      }
      errors++;
    }
    var _valid0 = _errs3 === errors;
    valid0 = _valid0;
    ifClause0 = "then";
  } else {
    const _errs38 = errors;
    if (data && typeof data == "object" && !Array.isArray(data)) {
      if (data.images === void 0) {
        const err29 = { instancePath, schemaPath: "#/else/required", keyword: "required", params: { missingProperty: "images" }, message: "must have required property 'images'" };
        if (vErrors === null) {
          vErrors = [err29];
        } else {
          vErrors.push(err29);
        }
        errors++;
      }
      for (const key1 in data) {
        if (!(key1 === "$schema" || key1 === "images")) {
          const err30 = { instancePath, schemaPath: "#/else/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key1 }, message: "must NOT have additional properties" };
          if (vErrors === null) {
            vErrors = [err30];
          } else {
            vErrors.push(err30);
          }
          errors++;
        }
      }
      if (data.$schema !== void 0) {
        if (typeof data.$schema !== "string") {
          const err31 = { instancePath: instancePath + "/$schema", schemaPath: "#/else/properties/%24schema/type", keyword: "type", params: { type: "string" }, message: "must be string" };
          if (vErrors === null) {
            vErrors = [err31];
          } else {
            vErrors.push(err31);
          }
          errors++;
        }
      }
      if (data.images !== void 0) {
        let data17 = data.images;
        if (Array.isArray(data17)) {
          const len7 = data17.length;
          for (let i10 = 0; i10 < len7; i10++) {
            let data18 = data17[i10];
            if (data18 && typeof data18 == "object" && !Array.isArray(data18)) {
              if (data18.image === void 0) {
                const err32 = { instancePath: instancePath + "/images/" + i10, schemaPath: "#/definitions/image/required", keyword: "required", params: { missingProperty: "image" }, message: "must have required property 'image'" };
                if (vErrors === null) {
                  vErrors = [err32];
                } else {
                  vErrors.push(err32);
                }
                errors++;
              }
              for (const key2 in data18) {
                if (!func2.call(schema12.properties, key2)) {
                  const err33 = { instancePath: instancePath + "/images/" + i10, schemaPath: "#/definitions/image/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key2 }, message: "must NOT have additional properties" };
                  if (vErrors === null) {
                    vErrors = [err33];
                  } else {
                    vErrors.push(err33);
                  }
                  errors++;
                }
              }
              if (data18.image !== void 0) {
                let data19 = data18.image;
                if (typeof data19 === "string") {
                  if (func3(data19) < 1) {
                    const err34 = { instancePath: instancePath + "/images/" + i10 + "/image", schemaPath: "#/definitions/image/properties/image/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters" };
                    if (vErrors === null) {
                      vErrors = [err34];
                    } else {
                      vErrors.push(err34);
                    }
                    errors++;
                  }
                } else {
                  const err35 = { instancePath: instancePath + "/images/" + i10 + "/image", schemaPath: "#/definitions/image/properties/image/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                  if (vErrors === null) {
                    vErrors = [err35];
                  } else {
                    vErrors.push(err35);
                  }
                  errors++;
                }
              }
              if (data18.platforms !== void 0) {
                let data20 = data18.platforms;
                if (Array.isArray(data20)) {
                  if (data20.length < 1) {
                    const err36 = { instancePath: instancePath + "/images/" + i10 + "/platforms", schemaPath: "#/definitions/image/properties/platforms/minItems", keyword: "minItems", params: { limit: 1 }, message: "must NOT have fewer than 1 items" };
                    if (vErrors === null) {
                      vErrors = [err36];
                    } else {
                      vErrors.push(err36);
                    }
                    errors++;
                  }
                  const len8 = data20.length;
                  for (let i11 = 0; i11 < len8; i11++) {
                    let data21 = data20[i11];
                    if (typeof data21 === "string") {
                      if (!pattern0.test(data21)) {
                        const err37 = { instancePath: instancePath + "/images/" + i10 + "/platforms/" + i11, schemaPath: "#/definitions/image/properties/platforms/items/pattern", keyword: "pattern", params: { pattern: "^[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?$" }, message: 'must match pattern "^[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?$"' };
                        if (vErrors === null) {
                          vErrors = [err37];
                        } else {
                          vErrors.push(err37);
                        }
                        errors++;
                      }
                    } else {
                      const err38 = { instancePath: instancePath + "/images/" + i10 + "/platforms/" + i11, schemaPath: "#/definitions/image/properties/platforms/items/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                      if (vErrors === null) {
                        vErrors = [err38];
                      } else {
                        vErrors.push(err38);
                      }
                      errors++;
                    }
                  }
                  let i12 = data20.length;
                  let j3;
                  if (i12 > 1) {
                    const indices2 = {};
                    for (; i12--; ) {
                      let item2 = data20[i12];
                      if (typeof item2 !== "string") {
                        continue;
                      }
                      if (typeof indices2[item2] == "number") {
                        j3 = indices2[item2];
                        const err39 = { instancePath: instancePath + "/images/" + i10 + "/platforms", schemaPath: "#/definitions/image/properties/platforms/uniqueItems", keyword: "uniqueItems", params: { i: i12, j: j3 }, message: "must NOT have duplicate items (items ## " + j3 + " and " + i12 + " are identical)" };
                        if (vErrors === null) {
                          vErrors = [err39];
                        } else {
                          vErrors.push(err39);
                        }
                        errors++;
                        break;
                      }
                      indices2[item2] = i12;
                    }
                  }
                } else {
                  const err40 = { instancePath: instancePath + "/images/" + i10 + "/platforms", schemaPath: "#/definitions/image/properties/platforms/type", keyword: "type", params: { type: "array" }, message: "must be array" };
                  if (vErrors === null) {
                    vErrors = [err40];
                  } else {
                    vErrors.push(err40);
                  }
                  errors++;
                }
              }
              if (data18.tracks !== void 0) {
                let data22 = data18.tracks;
                if (Array.isArray(data22)) {
                  const len9 = data22.length;
                  for (let i13 = 0; i13 < len9; i13++) {
                    let data23 = data22[i13];
                    if (!(data23 === "major" || data23 === "major-minor" || data23 === "major-minor-patch")) {
                      const err41 = { instancePath: instancePath + "/images/" + i10 + "/tracks/" + i13, schemaPath: "#/definitions/image/properties/tracks/items/enum", keyword: "enum", params: { allowedValues: schema12.properties.tracks.items.enum }, message: "must be equal to one of the allowed values" };
                      if (vErrors === null) {
                        vErrors = [err41];
                      } else {
                        vErrors.push(err41);
                      }
                      errors++;
                    }
                  }
                  let i14 = data22.length;
                  let j4;
                  if (i14 > 1) {
                    outer1: for (; i14--; ) {
                      for (j4 = i14; j4--; ) {
                        if (func0(data22[i14], data22[j4])) {
                          const err42 = { instancePath: instancePath + "/images/" + i10 + "/tracks", schemaPath: "#/definitions/image/properties/tracks/uniqueItems", keyword: "uniqueItems", params: { i: i14, j: j4 }, message: "must NOT have duplicate items (items ## " + j4 + " and " + i14 + " are identical)" };
                          if (vErrors === null) {
                            vErrors = [err42];
                          } else {
                            vErrors.push(err42);
                          }
                          errors++;
                          break outer1;
                        }
                      }
                    }
                  }
                } else {
                  const err43 = { instancePath: instancePath + "/images/" + i10 + "/tracks", schemaPath: "#/definitions/image/properties/tracks/type", keyword: "type", params: { type: "array" }, message: "must be array" };
                  if (vErrors === null) {
                    vErrors = [err43];
                  } else {
                    vErrors.push(err43);
                  }
                  errors++;
                }
              }
              if (data18.tagPattern !== void 0) {
                let data24 = data18.tagPattern;
                if (typeof data24 === "string") {
                  if (func3(data24) < 1) {
                    const err44 = { instancePath: instancePath + "/images/" + i10 + "/tagPattern", schemaPath: "#/definitions/image/properties/tagPattern/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters" };
                    if (vErrors === null) {
                      vErrors = [err44];
                    } else {
                      vErrors.push(err44);
                    }
                    errors++;
                  }
                } else {
                  const err45 = { instancePath: instancePath + "/images/" + i10 + "/tagPattern", schemaPath: "#/definitions/image/properties/tagPattern/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                  if (vErrors === null) {
                    vErrors = [err45];
                  } else {
                    vErrors.push(err45);
                  }
                  errors++;
                }
              }
              if (data18.minVersion !== void 0) {
                let data25 = data18.minVersion;
                if (typeof data25 === "string") {
                  if (!pattern1.test(data25)) {
                    const err46 = { instancePath: instancePath + "/images/" + i10 + "/minVersion", schemaPath: "#/definitions/image/properties/minVersion/pattern", keyword: "pattern", params: { pattern: "^v?[0-9]+(\\.[0-9]+)*$" }, message: 'must match pattern "^v?[0-9]+(\\.[0-9]+)*$"' };
                    if (vErrors === null) {
                      vErrors = [err46];
                    } else {
                      vErrors.push(err46);
                    }
                    errors++;
                  }
                } else {
                  const err47 = { instancePath: instancePath + "/images/" + i10 + "/minVersion", schemaPath: "#/definitions/image/properties/minVersion/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                  if (vErrors === null) {
                    vErrors = [err47];
                  } else {
                    vErrors.push(err47);
                  }
                  errors++;
                }
              }
              if (data18.tags !== void 0) {
                let data26 = data18.tags;
                if (Array.isArray(data26)) {
                  const len10 = data26.length;
                  for (let i15 = 0; i15 < len10; i15++) {
                    let data27 = data26[i15];
                    if (typeof data27 === "string") {
                      if (!pattern2.test(data27)) {
                        const err48 = { instancePath: instancePath + "/images/" + i10 + "/tags/" + i15, schemaPath: "#/definitions/image/properties/tags/items/pattern", keyword: "pattern", params: { pattern: "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$" }, message: 'must match pattern "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$"' };
                        if (vErrors === null) {
                          vErrors = [err48];
                        } else {
                          vErrors.push(err48);
                        }
                        errors++;
                      }
                    } else {
                      const err49 = { instancePath: instancePath + "/images/" + i10 + "/tags/" + i15, schemaPath: "#/definitions/image/properties/tags/items/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                      if (vErrors === null) {
                        vErrors = [err49];
                      } else {
                        vErrors.push(err49);
                      }
                      errors++;
                    }
                  }
                  let i16 = data26.length;
                  let j5;
                  if (i16 > 1) {
                    const indices3 = {};
                    for (; i16--; ) {
                      let item3 = data26[i16];
                      if (typeof item3 !== "string") {
                        continue;
                      }
                      if (typeof indices3[item3] == "number") {
                        j5 = indices3[item3];
                        const err50 = { instancePath: instancePath + "/images/" + i10 + "/tags", schemaPath: "#/definitions/image/properties/tags/uniqueItems", keyword: "uniqueItems", params: { i: i16, j: j5 }, message: "must NOT have duplicate items (items ## " + j5 + " and " + i16 + " are identical)" };
                        if (vErrors === null) {
                          vErrors = [err50];
                        } else {
                          vErrors.push(err50);
                        }
                        errors++;
                        break;
                      }
                      indices3[item3] = i16;
                    }
                  }
                } else {
                  const err51 = { instancePath: instancePath + "/images/" + i10 + "/tags", schemaPath: "#/definitions/image/properties/tags/type", keyword: "type", params: { type: "array" }, message: "must be array" };
                  if (vErrors === null) {
                    vErrors = [err51];
                  } else {
                    vErrors.push(err51);
                  }
                  errors++;
                }
              }
              if (data18.initialMajor !== void 0) {
                let data28 = data18.initialMajor;
                if (Array.isArray(data28)) {
                  const len11 = data28.length;
                  for (let i17 = 0; i17 < len11; i17++) {
                    if (typeof data28[i17] !== "string") {
                      const err52 = { instancePath: instancePath + "/images/" + i10 + "/initialMajor/" + i17, schemaPath: "#/definitions/image/properties/initialMajor/items/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                      if (vErrors === null) {
                        vErrors = [err52];
                      } else {
                        vErrors.push(err52);
                      }
                      errors++;
                    }
                  }
                } else {
                  const err53 = { instancePath: instancePath + "/images/" + i10 + "/initialMajor", schemaPath: "#/definitions/image/properties/initialMajor/type", keyword: "type", params: { type: "array" }, message: "must be array" };
                  if (vErrors === null) {
                    vErrors = [err53];
                  } else {
                    vErrors.push(err53);
                  }
                  errors++;
                }
              }
              if (data18.initialMajorMinor !== void 0) {
                let data30 = data18.initialMajorMinor;
                if (Array.isArray(data30)) {
                  const len12 = data30.length;
                  for (let i18 = 0; i18 < len12; i18++) {
                    if (typeof data30[i18] !== "string") {
                      const err54 = { instancePath: instancePath + "/images/" + i10 + "/initialMajorMinor/" + i18, schemaPath: "#/definitions/image/properties/initialMajorMinor/items/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                      if (vErrors === null) {
                        vErrors = [err54];
                      } else {
                        vErrors.push(err54);
                      }
                      errors++;
                    }
                  }
                } else {
                  const err55 = { instancePath: instancePath + "/images/" + i10 + "/initialMajorMinor", schemaPath: "#/definitions/image/properties/initialMajorMinor/type", keyword: "type", params: { type: "array" }, message: "must be array" };
                  if (vErrors === null) {
                    vErrors = [err55];
                  } else {
                    vErrors.push(err55);
                  }
                  errors++;
                }
              }
              if (data18.initialMajorMinorPatch !== void 0) {
                let data32 = data18.initialMajorMinorPatch;
                if (Array.isArray(data32)) {
                  const len13 = data32.length;
                  for (let i19 = 0; i19 < len13; i19++) {
                    if (typeof data32[i19] !== "string") {
                      const err56 = { instancePath: instancePath + "/images/" + i10 + "/initialMajorMinorPatch/" + i19, schemaPath: "#/definitions/image/properties/initialMajorMinorPatch/items/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                      if (vErrors === null) {
                        vErrors = [err56];
                      } else {
                        vErrors.push(err56);
                      }
                      errors++;
                    }
                  }
                } else {
                  const err57 = { instancePath: instancePath + "/images/" + i10 + "/initialMajorMinorPatch", schemaPath: "#/definitions/image/properties/initialMajorMinorPatch/type", keyword: "type", params: { type: "array" }, message: "must be array" };
                  if (vErrors === null) {
                    vErrors = [err57];
                  } else {
                    vErrors.push(err57);
                  }
                  errors++;
                }
              }
            } else {
              const err58 = { instancePath: instancePath + "/images/" + i10, schemaPath: "#/definitions/image/type", keyword: "type", params: { type: "object" }, message: "must be object" };
              if (vErrors === null) {
                vErrors = [err58];
              } else {
                vErrors.push(err58);
              }
              errors++;
            }
          }
        } else {
          const err59 = { instancePath: instancePath + "/images", schemaPath: "#/else/properties/images/type", keyword: "type", params: { type: "array" }, message: "must be array" };
          if (vErrors === null) {
            vErrors = [err59];
          } else {
            vErrors.push(err59);
          }
          errors++;
        }
      }
    } else {
      const err60 = { instancePath, schemaPath: "#/else/type", keyword: "type", params: { type: "object" }, message: "must be object" };
      if (vErrors === null) {
        vErrors = [err60];
      } else {
        vErrors.push(err60);
      }
      errors++;
    }
    var _valid0 = _errs38 === errors;
    valid0 = _valid0;
    ifClause0 = "else";
  }
  if (!valid0) {
    const err61 = { instancePath, schemaPath: "#/if", keyword: "if", params: { failingKeyword: ifClause0 }, message: 'must match "' + ifClause0 + '" schema' };
    if (vErrors === null) {
      vErrors = [err61];
    } else {
      vErrors.push(err61);
    }
    errors++;
  }
  validate10.errors = vErrors;
  return errors === 0;
}

// src/update/versions.ts
var TRACK_KINDS = ["major", "major-minor", "major-minor-patch"];
var DEFAULT_TAG_PATTERN = String.raw`^v?(?<major>\d+)(?:\.(?<minor>\d+))?(?:\.(?<patch>\d+))?$`;
var DIGITS = /^\d+$/;
var POSITIONAL_GROUPS = /* @__PURE__ */ new Set(["major", "minor", "patch"]);
function toPart(text) {
  if (text === void 0 || text === "") return void 0;
  return DIGITS.test(text) ? Number(text) : text;
}
function parseVersion(tag, pattern) {
  const groups = pattern.exec(tag)?.groups;
  if (!groups) return null;
  const { major, minor, patch } = groups;
  if (major === void 0 || !DIGITS.test(major)) return null;
  if (minor !== void 0 && !DIGITS.test(minor)) return null;
  if (patch !== void 0 && !DIGITS.test(patch)) return null;
  const parts = [
    Number(major),
    toPart(minor),
    minor === void 0 ? void 0 : toPart(patch)
  ];
  for (const [name, value] of Object.entries(groups)) {
    if (!POSITIONAL_GROUPS.has(name)) parts.push(toPart(value));
  }
  return { tag, parts };
}
function comparePart(a, b) {
  if (a === b) return 0;
  if (a === void 0) return -1;
  if (b === void 0) return 1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a) < String(b) ? -1 : 1;
}
function compareParts(a, b) {
  const length = Math.max(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const order = comparePart(a[index], b[index]);
    if (order !== 0) return order;
  }
  return 0;
}
function compareVersions(a, b) {
  const order = compareParts(a.parts, b.parts);
  if (order !== 0) return order;
  if (a.tag.length !== b.tag.length) return b.tag.length - a.tag.length;
  return a.tag < b.tag ? 1 : a.tag > b.tag ? -1 : 0;
}
function parseVersionNumbers(text) {
  if (!/^v?\d+(?:\.\d+)*$/.test(text)) return null;
  return text.replace(/^v/, "").split(".").map(Number);
}
function isBelowMinimum(version, minimum) {
  return minimum !== void 0 && compareParts(version.parts, minimum) < 0;
}
function trackKeysOf(version) {
  const [major, minor, patch] = version.parts;
  const keys = { major: String(major) };
  if (minor !== void 0) keys["major-minor"] = `${major}.${minor}`;
  if (minor !== void 0 && patch !== void 0)
    keys["major-minor-patch"] = `${major}.${minor}.${patch}`;
  return keys;
}
function parseTrackKey(key) {
  if (!/^\d+(?:\.\d+){0,2}$/.test(key)) return null;
  const numbers = key.split(".").map(Number);
  return { kind: TRACK_KINDS[numbers.length - 1], numbers };
}

// src/update/config.ts
var DEFAULT_PLATFORMS = ["linux/amd64", "linux/arm64"];
var ConfigError = class extends Error {
  name = "ConfigError";
};
async function loadImagesConfig(path) {
  let text;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new ConfigError(`${path}: cannot read: ${error.message}`);
  }
  return parseImagesConfig(text, path);
}
function parseImagesConfig(text, file) {
  let document;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file}: invalid JSON: ${error.message}`);
  }
  if (!validate(document)) {
    const problems = (validate.errors ?? []).map(describeSchemaError);
    throw new ConfigError(`${file}: does not match images.schema.json:
  ${problems.join("\n  ")}`);
  }
  const isArray = Array.isArray(document);
  const entries = isArray ? document : document.images;
  const seen = /* @__PURE__ */ new Set();
  return entries.map((entry, index) => {
    const path = isArray ? `$[${index}]` : `$.images[${index}]`;
    const image = toImageConfig(entry, (field, rule, why) => {
      throw new ConfigError(`${file}: ${path}${field ? `.${field}` : ""}: ${why} (rule: ${rule})`);
    });
    if (seen.has(entry.image)) {
      throw new ConfigError(
        `${file}: ${path}.image: "${entry.image}" is listed twice (rule: unique image)`
      );
    }
    seen.add(entry.image);
    return image;
  });
}
function toImageConfig(entry, fail) {
  let reference;
  try {
    reference = parseImageReference(entry.image);
  } catch (error) {
    if (error instanceof ImageReferenceError) fail("image", "image reference", error.message);
    throw error;
  }
  const platforms = [];
  for (const [index, written] of (entry.platforms ?? DEFAULT_PLATFORMS).entries()) {
    const platform = parsePlatform(written);
    if (!platform) fail(`platforms[${index}]`, "platform", `"${written}" is not os/arch[/variant]`);
    const canonical = canonicalPlatform(platform);
    if (platforms.includes(canonical)) {
      fail(
        `platforms[${index}]`,
        "unique platform",
        `"${written}" is the same platform as "${canonical}"`
      );
    }
    platforms.push(canonical);
  }
  let tagPattern;
  try {
    tagPattern = new RegExp(entry.tagPattern ?? DEFAULT_TAG_PATTERN);
  } catch (error) {
    fail(
      "tagPattern",
      "regular expression",
      `invalid regular expression: ${error.message}`
    );
  }
  if (!/\(\?<major>/.test(tagPattern.source)) {
    fail("tagPattern", "named group major", 'the pattern must capture a named group "major"');
  }
  const legacy = mapLegacyFields(entry, tagPattern, fail);
  const minVersionText = entry.minVersion ?? legacy?.minVersion;
  const minVersion = minVersionText === void 0 ? void 0 : parseVersionNumbers(minVersionText);
  const tags = [
    ...entry.tags ?? [],
    ...(legacy?.tags ?? []).filter((tag) => !entry.tags?.includes(tag))
  ];
  const tracks = entry.tracks ?? legacy?.tracks ?? [...TRACK_KINDS];
  const config = { reference, platforms, tracks, tagPattern, tags };
  if (minVersion) config.minVersion = minVersion;
  return config;
}
var LEGACY_FIELDS = [
  ["initialMajor", "major"],
  ["initialMajorMinor", "major-minor"],
  ["initialMajorMinorPatch", "major-minor-patch"]
];
function mapLegacyFields(entry, pattern, fail) {
  const present = LEGACY_FIELDS.filter(([field]) => entry[field] !== void 0);
  if (present.length === 0) return null;
  for (const field of ["tracks", "minVersion"]) {
    if (entry[field] !== void 0) {
      fail(
        field,
        "no legacy mix",
        `"${field}" cannot be combined with the legacy initialMajor* fields`
      );
    }
  }
  const tracks = [];
  const tags = [];
  let lowest;
  for (const [field, kind] of present) {
    for (const tag of entry[field] ?? []) {
      const version = parseVersion(tag, pattern);
      if (!version) {
        if (!tags.includes(tag)) tags.push(tag);
        continue;
      }
      if (!tracks.includes(kind)) tracks.push(kind);
      if (!lowest || compareParts(version.parts, lowest.parts) < 0) lowest = version;
    }
  }
  const mapped = { tracks, tags };
  if (lowest) mapped.minVersion = leadingNumbers(lowest).join(".");
  return mapped;
}
function leadingNumbers(version) {
  const numbers = [];
  for (const part of version.parts) {
    if (typeof part !== "number") break;
    numbers.push(part);
  }
  return numbers;
}
function describeSchemaError(error) {
  const path = jsonPath(error.instancePath);
  const detail = error.keyword === "additionalProperties" ? `unknown property "${error.params.additionalProperty}"` : error.keyword === "enum" ? `${error.message}: ${error.params.allowedValues.map((v) => JSON.stringify(v)).join(", ")}` : error.message ?? "is invalid";
  return `${path}: ${detail} (rule: ${error.keyword})`;
}
function jsonPath(pointer) {
  if (pointer === "") return "$";
  return "$" + pointer.split("/").slice(1).map((token) => token.replace(/~1/g, "/").replace(/~0/g, "~")).map(
    (token) => /^\d+$/.test(token) ? `[${token}]` : /^[A-Za-z_$][\w$]*$/.test(token) ? `.${token}` : `[${JSON.stringify(token)}]`
  ).join("");
}

// src/update/digests-document.ts
import { randomBytes } from "node:crypto";
import { open, readFile as readFile2, readdir, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
var DocumentError = class extends Error {
  name = "DocumentError";
};
function defaultStatePath(digestsPath) {
  const name = basename(digestsPath).replace(/\.json$/, "");
  return join(dirname(digestsPath), `${name}.state.json`);
}
async function readTextIfPresent(path) {
  try {
    return await readFile2(path, "utf8");
  } catch (error) {
    if (error.code === "ENOENT") return void 0;
    throw new DocumentError(`${path}: cannot read: ${error.message}`);
  }
}
function parseJson(text, path) {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new DocumentError(`${path}: invalid JSON: ${error.message}`);
  }
}
function isPlainObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function checkNested(value, depth, path, file, rule) {
  if (depth === 0) {
    if (typeof value !== "string")
      throw new DocumentError(`${file}: ${path}: must be a string (rule: ${rule})`);
    return;
  }
  if (!isPlainObject(value))
    throw new DocumentError(`${file}: ${path}: must be an object (rule: ${rule})`);
  for (const [key, child] of Object.entries(value))
    checkNested(child, depth - 1, `${path}[${JSON.stringify(key)}]`, file, rule);
}
function parseDigests(text, path) {
  if (text === void 0) return {};
  const document = parseJson(text, path);
  checkNested(document, 3, "$", path, "image \u2192 track \u2192 platform \u2192 reference");
  return document;
}
function parseState(text, path) {
  if (text === void 0) return { version: 1, images: {} };
  const document = parseJson(text, path);
  if (!isPlainObject(document) || document.version !== 1) {
    throw new DocumentError(`${path}: $.version: must be 1 (rule: state file version)`);
  }
  checkNested(document.images, 3, "$.images", path, "image \u2192 digest \u2192 platform \u2192 digest");
  return document;
}
function serializeSorted(value, indent = "") {
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const inner = indent + "  ";
    return `[
${value.map((item) => inner + serializeSorted(item, inner)).join(",\n")}
${indent}]`;
  }
  if (isPlainObject(value)) {
    const keys = Object.keys(value).sort();
    if (keys.length === 0) return "{}";
    const inner = indent + "  ";
    const lines = keys.map(
      (key) => `${inner}${JSON.stringify(key)}: ${serializeSorted(value[key], inner)}`
    );
    return `{
${lines.join(",\n")}
${indent}}`;
  }
  return JSON.stringify(value);
}
function renderDocument(value) {
  return serializeSorted(value) + "\n";
}
async function writeFileAtomic(path, content) {
  await removeAbandonedTemporaries(path);
  const temporary = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`
  );
  const handle = await open(temporary, "wx", 420);
  try {
    await handle.writeFile(content, "utf8");
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
function isKeyStillWanted(key, image) {
  if (image.tags.includes(key)) return true;
  const parsed = parseTrackKey(key);
  if (!parsed || !image.tracks.includes(parsed.kind)) return false;
  return !image.minVersion || compareParts(parsed.numbers, image.minVersion.slice(0, parsed.numbers.length)) >= 0;
}
function mergeImageEntry(previous, resolved, image) {
  const entry = {};
  const stale = [];
  for (const [key, references] of resolved) {
    if (Object.keys(references).length > 0) entry[key] = references;
  }
  for (const [key, references] of Object.entries(previous ?? {})) {
    if (resolved.has(key) || !isKeyStillWanted(key, image)) continue;
    const kept = Object.fromEntries(
      Object.entries(references).filter(([platform]) => image.platforms.includes(platform))
    );
    if (Object.keys(kept).length === 0) continue;
    entry[key] = kept;
    stale.push(key);
  }
  return { entry, stale };
}
function diffDigests(before, after) {
  const changes = [];
  const images = [.../* @__PURE__ */ new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const image of images) {
    const tracksBefore = before[image] ?? {};
    const tracksAfter = after[image] ?? {};
    const tracks = [.../* @__PURE__ */ new Set([...Object.keys(tracksBefore), ...Object.keys(tracksAfter)])].sort();
    for (const track of tracks) {
      const platformsBefore = tracksBefore[track] ?? {};
      const platformsAfter = tracksAfter[track] ?? {};
      const platforms = [
        .../* @__PURE__ */ new Set([...Object.keys(platformsBefore), ...Object.keys(platformsAfter)])
      ].sort();
      for (const platform of platforms) {
        const was = platformsBefore[platform];
        const now = platformsAfter[platform];
        if (was === now) continue;
        changes.push({
          image,
          track,
          platform,
          ...was !== void 0 ? { before: was } : {},
          ...now !== void 0 ? { after: now } : {}
        });
      }
    }
  }
  return changes;
}

// src/update/tracks.ts
function buildTracks(image, upstreamTags) {
  const versions = upstreamTags.map((tag) => parseVersion(tag, image.tagPattern)).filter((version) => version !== null).filter((version) => !isBelowMinimum(version, image.minVersion)).sort((a, b) => compareVersions(b, a));
  const tracks = /* @__PURE__ */ new Map();
  const upstream = new Set(upstreamTags);
  for (const tag of image.tags) {
    if (upstream.has(tag)) tracks.set(tag, { key: tag, kind: "tag", candidates: [tag] });
  }
  for (const version of versions) {
    const keys = trackKeysOf(version);
    for (const kind of image.tracks) {
      const key = keys[kind];
      if (key === void 0) continue;
      const track = tracks.get(key) ?? { key, kind, candidates: [] };
      if (track.kind !== kind) continue;
      track.candidates.push(version.tag);
      tracks.set(key, track);
    }
  }
  return [...tracks.values()];
}

// src/update/resolve-image.ts
async function resolveImage(client, image, previousState) {
  const reference = image.reference;
  const tags = await client.listTags(reference);
  const tracks = buildTracks(image, tags);
  const state = {};
  const platformsByTag = /* @__PURE__ */ new Map();
  const platformsOf = (tag) => {
    let pending = platformsByTag.get(tag);
    if (!pending) {
      pending = (async () => {
        const head = await client.headTag(reference, tag);
        if (!head) return {};
        const known = state[head.digest] ?? previousState[head.digest];
        const platforms = known ?? await readPlatforms(client, image, head.digest);
        state[head.digest] = platforms;
        return platforms;
      })();
      platformsByTag.set(tag, pending);
    }
    return pending;
  };
  const resolved = await Promise.all(
    tracks.map(async (track) => {
      const references = {};
      const wanted = new Set(image.platforms);
      for (const tag of track.candidates) {
        if (wanted.size === 0) break;
        const platforms = await platformsOf(tag);
        for (const platform of [...wanted]) {
          const digest = platforms[platform];
          if (digest === void 0) continue;
          references[platform] = `${reference.written}:${tag}@${digest}`;
          wanted.delete(platform);
        }
      }
      return [track.key, references];
    })
  );
  return { tracks: new Map(resolved), state };
}
async function readPlatforms(client, image, digest) {
  const manifest = await client.manifest(image.reference, digest);
  if (manifest.kind === "index") return platformDigests(manifest);
  const config = await client.blob(image.reference, manifest.config.digest);
  const platform = platformOfConfig(config);
  return platform ? { [platform]: digest } : {};
}

// src/update/run-update.ts
var silent = { info: () => void 0, warning: () => void 0 };
var NO_CLIENT = {
  RegistryClient: class {
    close() {
      return Promise.resolve();
    }
    requestCounts() {
      return {};
    }
  }
};
async function runUpdate(options) {
  const log = options.log ?? silent;
  const statePath = options.statePath ?? defaultStatePath(options.digestsPath);
  const images = await loadImagesConfig(options.imagesPath);
  const previousText = await readTextIfPresent(options.digestsPath);
  const previous = parseDigests(previousText, options.digestsPath);
  const previousStateText = await readTextIfPresent(statePath);
  const previousState = parseState(previousStateText, statePath);
  const { RegistryClient } = images.length > 0 ? await import("./client-YWXL4CMU.js") : NO_CLIENT;
  const client = new RegistryClient({
    ...options.mirrors ? { mirrors: options.mirrors } : {},
    credentials: options.credentials ?? loadDockerCredentials(),
    ...options.http ? { http: options.http } : {},
    ...options.requestsPerRegistry ? { requestsPerRegistry: options.requestsPerRegistry } : {},
    ...options.tagPageSize ? { tagPageSize: options.tagPageSize } : {}
  });
  let settled;
  try {
    settled = await settleAll(
      images,
      options.concurrency ?? 4,
      (image) => resolveImage(client, image, previousState.images[image.reference.written] ?? {})
    );
  } finally {
    await client.close();
  }
  const next = {};
  const nextState = { version: 1, images: {} };
  const stale = [];
  const failures = [];
  images.forEach((image, index) => {
    const name = image.reference.written;
    const outcome = settled[index];
    if (outcome.status === "rejected") {
      const message = outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason);
      failures.push({ image: name, message });
      if (previous[name]) next[name] = previous[name];
      if (previousState.images[name]) nextState.images[name] = previousState.images[name];
      return;
    }
    const merged = mergeImageEntry(previous[name], outcome.value.tracks, image);
    if (Object.keys(merged.entry).length > 0) next[name] = merged.entry;
    if (Object.keys(outcome.value.state).length > 0) nextState.images[name] = outcome.value.state;
    for (const track of merged.stale) {
      stale.push({ image: name, track });
      log.warning(
        `${name} ${track}: no tag of this track exists upstream any more; kept its last value`
      );
    }
    log.info(`${name}: ${plural(outcome.value.tracks.size, "track")} resolved`);
  });
  const digestsText = renderDocument(next);
  const stateText = renderDocument(nextState);
  const written = [];
  if (!options.dryRun) {
    if (stateText !== previousStateText) {
      await writeFileAtomic(statePath, stateText);
      written.push(statePath);
    }
    if (digestsText !== previousText) {
      await writeFileAtomic(options.digestsPath, digestsText);
      written.push(options.digestsPath);
    }
  }
  return {
    changes: diffDigests(previous, next),
    stale,
    failures,
    requestCounts: client.requestCounts(),
    changed: digestsText !== previousText,
    written,
    digestsPath: options.digestsPath,
    statePath,
    previous,
    digests: next,
    deferred: []
  };
}

// src/cli/update.ts
var UPDATE_USAGE = `Usage: nix-oci-hashes update [options]

Reads images.json, resolves every version track's per-platform digest from the registries and
rewrites digests.json (and its state file) when anything changed.

Options:
  --images FILE          image list (default: images.json)
  --digests FILE         output (default: digests.json)
  --state FILE           cache of manifest digests (default: <digests>.state.json beside it)
  --mirror REGISTRY=URL  send REGISTRY's requests to URL, e.g. docker.io=http://127.0.0.1:5000
                         (repeatable; keys and references keep the names as written)
  --dry-run              compute and print the changes, write nothing
  --timeout SECONDS      per request attempt (default: 30)
  --retries N            retries per request for 429, 5xx and network errors (default: 2)
  --deadline SECONDS     per request, retries included (default: 110)
  --concurrency N        images resolved at once (default: 4)
  --requests-per-registry N  requests in flight per registry (default: 8)
  --page-size N          tags per tags/list page to ask for (default: the registry's)
  -h, --help             show this help

Changes go to stdout, one line each; progress, request counts and errors to stderr.
Exit status: 0 on success (changed or not), 1 when an image failed, 2 on bad input or usage.

Other commands: nix-oci-hashes check [PATH...] and nix-oci-hashes pin [PATH...]
(nix-oci-hashes check --help, nix-oci-hashes pin --help).`;
async function updateMain(argv) {
  const parsed = parseCommand(argv, UPDATE_OPTIONS, UPDATE_USAGE);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  const [command, ...extra] = positionals;
  if (command !== "update" || extra.length > 0)
    throw new UsageError(`unknown command "${positionals.join(" ")}"`);
  const { http, requestsPerRegistry } = registryLimits(values);
  const concurrency = positiveNumber(values.concurrency, "--concurrency");
  const tagPageSize = positiveNumber(values["page-size"], "--page-size");
  const result = await runUpdate({
    imagesPath: values.images,
    digestsPath: values.digests,
    ...values.state ? { statePath: values.state } : {},
    mirrors: parseMirrors(values.mirror),
    dryRun: values["dry-run"],
    http,
    ...concurrency ? { concurrency } : {},
    ...requestsPerRegistry ? { requestsPerRegistry } : {},
    ...tagPageSize ? { tagPageSize } : {},
    log: {
      info: (message) => process.stderr.write(`${message}
`),
      warning: (message) => process.stderr.write(`warning: ${message}
`)
    }
  });
  for (const change of result.changes) process.stdout.write(formatChange(change) + "\n");
  reportRequestCounts(result.requestCounts);
  const count = plural(result.changes.length, "reference");
  const outcome = values["dry-run"] ? `dry run: ${count} would change, nothing written` : result.written.length > 0 ? `${count} changed; wrote ${result.written.join(" and ")}` : `${count} changed; ${result.digestsPath} is up to date`;
  process.stderr.write(outcome + "\n");
  for (const failure of result.failures) {
    process.stderr.write(`error: ${failure.image}: ${failure.message} (previous entries kept)
`);
  }
  return result.failures.length > 0 ? 1 : 0;
}
export {
  updateMain
};
