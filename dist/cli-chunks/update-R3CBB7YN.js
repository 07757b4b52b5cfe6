#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import {
  PullQuotaDeferral,
  Semaphore
} from "./chunk-BRRZXLBV.js";
import {
  writeFileAtomic
} from "./chunk-UHQMK5SO.js";
import {
  basename,
  dictionary,
  dirname2 as dirname,
  dirname3 as dirname2,
  grammarViolation,
  isJsonObject,
  join2 as join,
  join3 as join2,
  overlay,
  own,
  parseCommand,
  parseJsonData,
  positiveNumber,
  readFile,
  registryLimits,
  reportPullsSaved,
  reportRequestCounts,
  wholeNumber
} from "./chunk-6Y6MJNCH.js";
import {
  UPDATE_OPTIONS,
  UsageError,
  parseContentMirrors,
  parseMirrors,
  printErr,
  printOut
} from "./chunk-M7DL5FG6.js";
import {
  DEFAULT_PULL_RESERVE,
  DEFAULT_REQUESTS_PER_REGISTRY,
  canonicalPlatform,
  commandRegistryOptions,
  digestOf,
  isIndexMediaType,
  labelsOfConfig,
  parsePlatform,
  platformDigests,
  platformOfConfig,
  plural,
  shortDigest
} from "./chunk-4NMLSESI.js";
import {
  ImageReferenceError,
  imageKey,
  parseImageReference
} from "./chunk-5DZA4GKR.js";
import {
  __commonJS,
  __toESM
} from "./chunk-MK2NFTYZ.js";

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

// node_modules/semver/internal/constants.js
var require_constants = __commonJS({
  "node_modules/semver/internal/constants.js"(exports, module) {
    "use strict";
    var SEMVER_SPEC_VERSION = "2.0.0";
    var MAX_LENGTH = 256;
    var MAX_SAFE_INTEGER = Number.MAX_SAFE_INTEGER || /* istanbul ignore next */
    9007199254740991;
    var MAX_SAFE_COMPONENT_LENGTH = 16;
    var MAX_SAFE_BUILD_LENGTH = MAX_LENGTH - 6;
    var WHITESPACE_CHARACTERS = [
      "	",
      "\n",
      "\v",
      "\f",
      "\r",
      " ",
      "\xA0",
      "\u1680",
      "\u2000",
      "\u2001",
      "\u2002",
      "\u2003",
      "\u2004",
      "\u2005",
      "\u2006",
      "\u2007",
      "\u2008",
      "\u2009",
      "\u200A",
      "\u2028",
      "\u2029",
      "\u202F",
      "\u205F",
      "\u3000",
      "\uFEFF"
    ];
    var RELEASE_TYPES = [
      "major",
      "premajor",
      "minor",
      "preminor",
      "patch",
      "prepatch",
      "prerelease"
    ];
    module.exports = {
      MAX_LENGTH,
      MAX_SAFE_COMPONENT_LENGTH,
      MAX_SAFE_BUILD_LENGTH,
      MAX_SAFE_INTEGER,
      WHITESPACE_CHARACTERS,
      RELEASE_TYPES,
      SEMVER_SPEC_VERSION,
      FLAG_INCLUDE_PRERELEASE: 1,
      FLAG_LOOSE: 2
    };
  }
});

// node_modules/semver/internal/debug.js
var require_debug = __commonJS({
  "node_modules/semver/internal/debug.js"(exports, module) {
    "use strict";
    var debug = typeof process === "object" && process.env && process.env.NODE_DEBUG && /\bsemver\b/i.test(process.env.NODE_DEBUG) ? (...args) => console.error("SEMVER", ...args) : () => {
    };
    module.exports = debug;
  }
});

// node_modules/semver/internal/re.js
var require_re = __commonJS({
  "node_modules/semver/internal/re.js"(exports, module) {
    "use strict";
    var {
      MAX_SAFE_COMPONENT_LENGTH,
      MAX_SAFE_BUILD_LENGTH,
      MAX_LENGTH
    } = require_constants();
    var debug = require_debug();
    exports = module.exports = {};
    var re = exports.re = [];
    var safeRe = exports.safeRe = [];
    var src = exports.src = [];
    var safeSrc = exports.safeSrc = [];
    var t = exports.t = {};
    var R = 0;
    var LETTERDASHNUMBER = "[a-zA-Z0-9-]";
    var safeRegexReplacements = [
      ["\\s", 1],
      ["\\d", MAX_LENGTH],
      [LETTERDASHNUMBER, MAX_SAFE_BUILD_LENGTH]
    ];
    var makeSafeRegex = (value) => {
      for (const [token, max] of safeRegexReplacements) {
        value = value.split(`${token}*`).join(`${token}{0,${max}}`).split(`${token}+`).join(`${token}{1,${max}}`);
      }
      return value;
    };
    var createToken = (name, value, isGlobal) => {
      const safe = makeSafeRegex(value);
      const index = R++;
      debug(name, index, value);
      t[name] = index;
      src[index] = value;
      safeSrc[index] = safe;
      re[index] = new RegExp(value, isGlobal ? "g" : void 0);
      safeRe[index] = new RegExp(safe, isGlobal ? "g" : void 0);
    };
    createToken("NUMERICIDENTIFIER", "0|[1-9]\\d*");
    createToken("NUMERICIDENTIFIERLOOSE", "\\d+");
    createToken("NONNUMERICIDENTIFIER", `\\d*[a-zA-Z-]${LETTERDASHNUMBER}*`);
    createToken("MAINVERSION", `(${src[t.NUMERICIDENTIFIER]})\\.(${src[t.NUMERICIDENTIFIER]})\\.(${src[t.NUMERICIDENTIFIER]})`);
    createToken("MAINVERSIONLOOSE", `(${src[t.NUMERICIDENTIFIERLOOSE]})\\.(${src[t.NUMERICIDENTIFIERLOOSE]})\\.(${src[t.NUMERICIDENTIFIERLOOSE]})`);
    createToken("PRERELEASEIDENTIFIER", `(?:${src[t.NONNUMERICIDENTIFIER]}|${src[t.NUMERICIDENTIFIER]})`);
    createToken("PRERELEASEIDENTIFIERLOOSE", `(?:${src[t.NONNUMERICIDENTIFIER]}|${src[t.NUMERICIDENTIFIERLOOSE]})`);
    createToken("PRERELEASE", `(?:-(${src[t.PRERELEASEIDENTIFIER]}(?:\\.${src[t.PRERELEASEIDENTIFIER]})*))`);
    createToken("PRERELEASELOOSE", `(?:-?(${src[t.PRERELEASEIDENTIFIERLOOSE]}(?:\\.${src[t.PRERELEASEIDENTIFIERLOOSE]})*))`);
    createToken("BUILDIDENTIFIER", `${LETTERDASHNUMBER}+`);
    createToken("BUILD", `(?:\\+(${src[t.BUILDIDENTIFIER]}(?:\\.${src[t.BUILDIDENTIFIER]})*))`);
    createToken("FULLPLAIN", `v?${src[t.MAINVERSION]}${src[t.PRERELEASE]}?${src[t.BUILD]}?`);
    createToken("FULL", `^${src[t.FULLPLAIN]}$`);
    createToken("LOOSEPLAIN", `[v=\\s]*${src[t.MAINVERSIONLOOSE]}${src[t.PRERELEASELOOSE]}?${src[t.BUILD]}?`);
    createToken("LOOSE", `^${src[t.LOOSEPLAIN]}$`);
    createToken("GTLT", "((?:<|>)?=?)");
    createToken("XRANGEIDENTIFIERLOOSE", `${src[t.NUMERICIDENTIFIERLOOSE]}|x|X|\\*`);
    createToken("XRANGEIDENTIFIER", `${src[t.NUMERICIDENTIFIER]}|x|X|\\*`);
    createToken("XRANGEPLAIN", `[v=\\s]*(${src[t.XRANGEIDENTIFIER]})(?:\\.(${src[t.XRANGEIDENTIFIER]})(?:\\.(${src[t.XRANGEIDENTIFIER]})(?:${src[t.PRERELEASE]})?${src[t.BUILD]}?)?)?`);
    createToken("XRANGEPLAINLOOSE", `[v=\\s]*(${src[t.XRANGEIDENTIFIERLOOSE]})(?:\\.(${src[t.XRANGEIDENTIFIERLOOSE]})(?:\\.(${src[t.XRANGEIDENTIFIERLOOSE]})(?:${src[t.PRERELEASELOOSE]})?${src[t.BUILD]}?)?)?`);
    createToken("XRANGE", `^${src[t.GTLT]}\\s*${src[t.XRANGEPLAIN]}$`);
    createToken("XRANGELOOSE", `^${src[t.GTLT]}\\s*${src[t.XRANGEPLAINLOOSE]}$`);
    createToken("COERCEPLAIN", `${"(^|[^\\d])(\\d{1,"}${MAX_SAFE_COMPONENT_LENGTH}})(?:\\.(\\d{1,${MAX_SAFE_COMPONENT_LENGTH}}))?(?:\\.(\\d{1,${MAX_SAFE_COMPONENT_LENGTH}}))?`);
    createToken("COERCE", `${src[t.COERCEPLAIN]}(?:$|[^\\d])`);
    createToken("COERCEFULL", src[t.COERCEPLAIN] + `(?:${src[t.PRERELEASE]})?(?:${src[t.BUILD]})?(?:$|[^\\d])`);
    createToken("COERCERTL", src[t.COERCE], true);
    createToken("COERCERTLFULL", src[t.COERCEFULL], true);
    createToken("LONETILDE", "(?:~>?)");
    createToken("TILDETRIM", `(\\s*)${src[t.LONETILDE]}\\s+`, true);
    exports.tildeTrimReplace = "$1~";
    createToken("TILDE", `^${src[t.LONETILDE]}${src[t.XRANGEPLAIN]}$`);
    createToken("TILDELOOSE", `^${src[t.LONETILDE]}${src[t.XRANGEPLAINLOOSE]}$`);
    createToken("LONECARET", "(?:\\^)");
    createToken("CARETTRIM", `(\\s*)${src[t.LONECARET]}\\s+`, true);
    exports.caretTrimReplace = "$1^";
    createToken("CARET", `^${src[t.LONECARET]}${src[t.XRANGEPLAIN]}$`);
    createToken("CARETLOOSE", `^${src[t.LONECARET]}${src[t.XRANGEPLAINLOOSE]}$`);
    createToken("COMPARATORLOOSE", `^${src[t.GTLT]}\\s*(${src[t.LOOSEPLAIN]})$|^$`);
    createToken("COMPARATOR", `^${src[t.GTLT]}\\s*(${src[t.FULLPLAIN]})$|^$`);
    createToken("COMPARATORTRIM", `(\\s*)${src[t.GTLT]}\\s*(${src[t.LOOSEPLAIN]}|${src[t.XRANGEPLAIN]})`, true);
    exports.comparatorTrimReplace = "$1$2$3";
    createToken("HYPHENRANGE", `^\\s*(${src[t.XRANGEPLAIN]})\\s+-\\s+(${src[t.XRANGEPLAIN]})\\s*$`);
    createToken("HYPHENRANGELOOSE", `^\\s*(${src[t.XRANGEPLAINLOOSE]})\\s+-\\s+(${src[t.XRANGEPLAINLOOSE]})\\s*$`);
    createToken("STAR", "(<|>)?=?\\s*\\*");
    createToken("GTE0", "^\\s*>=\\s*0\\.0\\.0\\s*$");
    createToken("GTE0PRE", "^\\s*>=\\s*0\\.0\\.0-0\\s*$");
  }
});

// node_modules/semver/internal/parse-options.js
var require_parse_options = __commonJS({
  "node_modules/semver/internal/parse-options.js"(exports, module) {
    "use strict";
    var looseOption = Object.freeze({ loose: true });
    var emptyOpts = Object.freeze({});
    var parseOptions = (options) => {
      if (!options) {
        return emptyOpts;
      }
      if (typeof options !== "object") {
        return looseOption;
      }
      return options;
    };
    module.exports = parseOptions;
  }
});

// node_modules/semver/internal/identifiers.js
var require_identifiers = __commonJS({
  "node_modules/semver/internal/identifiers.js"(exports, module) {
    "use strict";
    var numeric = /^[0-9]+$/;
    var compareIdentifiers = (a, b) => {
      if (typeof a === "number" && typeof b === "number") {
        return a === b ? 0 : a < b ? -1 : 1;
      }
      const anum = numeric.test(a);
      const bnum = numeric.test(b);
      if (anum && bnum) {
        a = +a;
        b = +b;
      }
      return a === b ? 0 : anum && !bnum ? -1 : bnum && !anum ? 1 : a < b ? -1 : 1;
    };
    var rcompareIdentifiers = (a, b) => compareIdentifiers(b, a);
    module.exports = {
      compareIdentifiers,
      rcompareIdentifiers
    };
  }
});

// node_modules/semver/classes/semver.js
var require_semver = __commonJS({
  "node_modules/semver/classes/semver.js"(exports, module) {
    "use strict";
    var debug = require_debug();
    var { MAX_LENGTH, MAX_SAFE_INTEGER } = require_constants();
    var { safeRe: re, t } = require_re();
    var parseOptions = require_parse_options();
    var { compareIdentifiers } = require_identifiers();
    var isPrereleaseIdentifier = (prerelease, identifier) => {
      const identifiers = identifier.split(".");
      if (identifiers.length > prerelease.length) {
        return false;
      }
      for (let i = 0; i < identifiers.length; i++) {
        if (compareIdentifiers(prerelease[i], identifiers[i]) !== 0) {
          return false;
        }
      }
      return true;
    };
    var SemVer = class _SemVer {
      constructor(version, options) {
        options = parseOptions(options);
        if (version instanceof _SemVer) {
          if (version.loose === !!options.loose && version.includePrerelease === !!options.includePrerelease) {
            return version;
          } else {
            version = version.version;
          }
        } else if (typeof version !== "string") {
          throw new TypeError(`Invalid version. Must be a string. Got type "${typeof version}".`);
        }
        if (version.length > MAX_LENGTH) {
          throw new TypeError(
            `version is longer than ${MAX_LENGTH} characters`
          );
        }
        debug("SemVer", version, options);
        this.options = options;
        this.loose = !!options.loose;
        this.includePrerelease = !!options.includePrerelease;
        const m = version.trim().match(options.loose ? re[t.LOOSE] : re[t.FULL]);
        if (!m) {
          throw new TypeError(`Invalid Version: ${version}`);
        }
        this.raw = version;
        this.major = +m[1];
        this.minor = +m[2];
        this.patch = +m[3];
        if (this.major > MAX_SAFE_INTEGER || this.major < 0) {
          throw new TypeError("Invalid major version");
        }
        if (this.minor > MAX_SAFE_INTEGER || this.minor < 0) {
          throw new TypeError("Invalid minor version");
        }
        if (this.patch > MAX_SAFE_INTEGER || this.patch < 0) {
          throw new TypeError("Invalid patch version");
        }
        if (!m[4]) {
          this.prerelease = [];
        } else {
          this.prerelease = m[4].split(".").map((id) => {
            if (/^[0-9]+$/.test(id)) {
              const num = +id;
              if (num >= 0 && num < MAX_SAFE_INTEGER) {
                return num;
              }
            }
            return id;
          });
        }
        this.build = m[5] ? m[5].split(".") : [];
        this.format();
      }
      format() {
        this.version = `${this.major}.${this.minor}.${this.patch}`;
        if (this.prerelease.length) {
          this.version += `-${this.prerelease.join(".")}`;
        }
        return this.version;
      }
      toString() {
        return this.version;
      }
      compare(other) {
        debug("SemVer.compare", this.version, this.options, other);
        if (!(other instanceof _SemVer)) {
          if (typeof other === "string" && other === this.version) {
            return 0;
          }
          other = new _SemVer(other, this.options);
        }
        if (other.version === this.version) {
          return 0;
        }
        return this.compareMain(other) || this.comparePre(other);
      }
      compareMain(other) {
        if (!(other instanceof _SemVer)) {
          other = new _SemVer(other, this.options);
        }
        if (this.major < other.major) {
          return -1;
        }
        if (this.major > other.major) {
          return 1;
        }
        if (this.minor < other.minor) {
          return -1;
        }
        if (this.minor > other.minor) {
          return 1;
        }
        if (this.patch < other.patch) {
          return -1;
        }
        if (this.patch > other.patch) {
          return 1;
        }
        return 0;
      }
      comparePre(other) {
        if (!(other instanceof _SemVer)) {
          other = new _SemVer(other, this.options);
        }
        if (this.prerelease.length && !other.prerelease.length) {
          return -1;
        } else if (!this.prerelease.length && other.prerelease.length) {
          return 1;
        } else if (!this.prerelease.length && !other.prerelease.length) {
          return 0;
        }
        let i = 0;
        do {
          const a = this.prerelease[i];
          const b = other.prerelease[i];
          debug("prerelease compare", i, a, b);
          if (a === void 0 && b === void 0) {
            return 0;
          } else if (b === void 0) {
            return 1;
          } else if (a === void 0) {
            return -1;
          } else if (a === b) {
            continue;
          } else {
            return compareIdentifiers(a, b);
          }
        } while (++i);
      }
      compareBuild(other) {
        if (!(other instanceof _SemVer)) {
          other = new _SemVer(other, this.options);
        }
        let i = 0;
        do {
          const a = this.build[i];
          const b = other.build[i];
          debug("build compare", i, a, b);
          if (a === void 0 && b === void 0) {
            return 0;
          } else if (b === void 0) {
            return 1;
          } else if (a === void 0) {
            return -1;
          } else if (a === b) {
            continue;
          } else {
            return compareIdentifiers(a, b);
          }
        } while (++i);
      }
      // preminor will bump the version up to the next minor release, and immediately
      // down to pre-release. premajor and prepatch work the same way.
      inc(release, identifier, identifierBase) {
        if (release.startsWith("pre")) {
          if (!identifier && identifierBase === false) {
            throw new Error("invalid increment argument: identifier is empty");
          }
          if (identifier) {
            const match = `-${identifier}`.match(this.options.loose ? re[t.PRERELEASELOOSE] : re[t.PRERELEASE]);
            if (!match || match[1] !== identifier) {
              throw new Error(`invalid identifier: ${identifier}`);
            }
          }
        }
        switch (release) {
          case "premajor":
            this.prerelease.length = 0;
            this.patch = 0;
            this.minor = 0;
            this.major++;
            this.inc("pre", identifier, identifierBase);
            break;
          case "preminor":
            this.prerelease.length = 0;
            this.patch = 0;
            this.minor++;
            this.inc("pre", identifier, identifierBase);
            break;
          case "prepatch":
            this.prerelease.length = 0;
            this.inc("patch", identifier, identifierBase);
            this.inc("pre", identifier, identifierBase);
            break;
          // If the input is a non-prerelease version, this acts the same as
          // prepatch.
          case "prerelease":
            if (this.prerelease.length === 0) {
              this.inc("patch", identifier, identifierBase);
            }
            this.inc("pre", identifier, identifierBase);
            break;
          case "release":
            if (this.prerelease.length === 0) {
              throw new Error(`version ${this.raw} is not a prerelease`);
            }
            this.prerelease.length = 0;
            break;
          case "major":
            if (this.minor !== 0 || this.patch !== 0 || this.prerelease.length === 0) {
              this.major++;
            }
            this.minor = 0;
            this.patch = 0;
            this.prerelease = [];
            break;
          case "minor":
            if (this.patch !== 0 || this.prerelease.length === 0) {
              this.minor++;
            }
            this.patch = 0;
            this.prerelease = [];
            break;
          case "patch":
            if (this.prerelease.length === 0) {
              this.patch++;
            }
            this.prerelease = [];
            break;
          // This probably shouldn't be used publicly.
          // 1.0.0 'pre' would become 1.0.0-0 which is the wrong direction.
          case "pre": {
            const base = Number(identifierBase) ? 1 : 0;
            if (this.prerelease.length === 0) {
              this.prerelease = [base];
            } else {
              let i = this.prerelease.length;
              while (--i >= 0) {
                if (typeof this.prerelease[i] === "number") {
                  this.prerelease[i]++;
                  i = -2;
                }
              }
              if (i === -1) {
                if (identifier === this.prerelease.join(".") && identifierBase === false) {
                  throw new Error("invalid increment argument: identifier already exists");
                }
                this.prerelease.push(base);
              }
            }
            if (identifier) {
              let prerelease = [identifier, base];
              if (identifierBase === false) {
                prerelease = [identifier];
              }
              if (isPrereleaseIdentifier(this.prerelease, identifier)) {
                const prereleaseBase = this.prerelease[identifier.split(".").length];
                if (isNaN(prereleaseBase)) {
                  this.prerelease = prerelease;
                }
              } else {
                this.prerelease = prerelease;
              }
            }
            break;
          }
          default:
            throw new Error(`invalid increment argument: ${release}`);
        }
        this.raw = this.format();
        if (this.build.length) {
          this.raw += `+${this.build.join(".")}`;
        }
        return this;
      }
    };
    module.exports = SemVer;
  }
});

// node_modules/semver/functions/parse.js
var require_parse = __commonJS({
  "node_modules/semver/functions/parse.js"(exports, module) {
    "use strict";
    var SemVer = require_semver();
    var parse = (version, options, throwErrors = false) => {
      if (version instanceof SemVer) {
        return version;
      }
      try {
        return new SemVer(version, options);
      } catch (er) {
        if (!throwErrors) {
          return null;
        }
        throw er;
      }
    };
    module.exports = parse;
  }
});

// node_modules/semver/functions/valid.js
var require_valid = __commonJS({
  "node_modules/semver/functions/valid.js"(exports, module) {
    "use strict";
    var parse = require_parse();
    var valid = (version, options) => {
      const v = parse(version, options);
      return v ? v.version : null;
    };
    module.exports = valid;
  }
});

// node_modules/semver/functions/clean.js
var require_clean = __commonJS({
  "node_modules/semver/functions/clean.js"(exports, module) {
    "use strict";
    var parse = require_parse();
    var clean = (version, options) => {
      const s = parse(version.trim().replace(/^[=v]+/, ""), options);
      return s ? s.version : null;
    };
    module.exports = clean;
  }
});

// node_modules/semver/functions/inc.js
var require_inc = __commonJS({
  "node_modules/semver/functions/inc.js"(exports, module) {
    "use strict";
    var SemVer = require_semver();
    var inc = (version, release, options, identifier, identifierBase) => {
      if (typeof options === "string") {
        identifierBase = identifier;
        identifier = options;
        options = void 0;
      }
      try {
        return new SemVer(
          version instanceof SemVer ? version.version : version,
          options
        ).inc(release, identifier, identifierBase).version;
      } catch (er) {
        return null;
      }
    };
    module.exports = inc;
  }
});

// node_modules/semver/functions/diff.js
var require_diff = __commonJS({
  "node_modules/semver/functions/diff.js"(exports, module) {
    "use strict";
    var parse = require_parse();
    var diff = (version1, version2) => {
      const v1 = parse(version1, null, true);
      const v2 = parse(version2, null, true);
      const comparison = v1.compare(v2);
      if (comparison === 0) {
        return null;
      }
      const v1Higher = comparison > 0;
      const highVersion = v1Higher ? v1 : v2;
      const lowVersion = v1Higher ? v2 : v1;
      const highHasPre = !!highVersion.prerelease.length;
      const lowHasPre = !!lowVersion.prerelease.length;
      if (lowHasPre && !highHasPre) {
        if (!lowVersion.patch && !lowVersion.minor) {
          return "major";
        }
        if (lowVersion.compareMain(highVersion) === 0) {
          if (lowVersion.minor && !lowVersion.patch) {
            return "minor";
          }
          return "patch";
        }
      }
      const prefix = highHasPre ? "pre" : "";
      if (v1.major !== v2.major) {
        return prefix + "major";
      }
      if (v1.minor !== v2.minor) {
        return prefix + "minor";
      }
      if (v1.patch !== v2.patch) {
        return prefix + "patch";
      }
      return "prerelease";
    };
    module.exports = diff;
  }
});

// node_modules/semver/functions/major.js
var require_major = __commonJS({
  "node_modules/semver/functions/major.js"(exports, module) {
    "use strict";
    var SemVer = require_semver();
    var major = (a, loose) => new SemVer(a, loose).major;
    module.exports = major;
  }
});

// node_modules/semver/functions/minor.js
var require_minor = __commonJS({
  "node_modules/semver/functions/minor.js"(exports, module) {
    "use strict";
    var SemVer = require_semver();
    var minor = (a, loose) => new SemVer(a, loose).minor;
    module.exports = minor;
  }
});

// node_modules/semver/functions/patch.js
var require_patch = __commonJS({
  "node_modules/semver/functions/patch.js"(exports, module) {
    "use strict";
    var SemVer = require_semver();
    var patch = (a, loose) => new SemVer(a, loose).patch;
    module.exports = patch;
  }
});

// node_modules/semver/functions/prerelease.js
var require_prerelease = __commonJS({
  "node_modules/semver/functions/prerelease.js"(exports, module) {
    "use strict";
    var parse = require_parse();
    var prerelease = (version, options) => {
      const parsed = parse(version, options);
      return parsed && parsed.prerelease.length ? parsed.prerelease : null;
    };
    module.exports = prerelease;
  }
});

// node_modules/semver/functions/compare.js
var require_compare = __commonJS({
  "node_modules/semver/functions/compare.js"(exports, module) {
    "use strict";
    var SemVer = require_semver();
    var compare = (a, b, loose) => new SemVer(a, loose).compare(new SemVer(b, loose));
    module.exports = compare;
  }
});

// node_modules/semver/functions/rcompare.js
var require_rcompare = __commonJS({
  "node_modules/semver/functions/rcompare.js"(exports, module) {
    "use strict";
    var compare = require_compare();
    var rcompare = (a, b, loose) => compare(b, a, loose);
    module.exports = rcompare;
  }
});

// node_modules/semver/functions/compare-loose.js
var require_compare_loose = __commonJS({
  "node_modules/semver/functions/compare-loose.js"(exports, module) {
    "use strict";
    var compare = require_compare();
    var compareLoose = (a, b) => compare(a, b, true);
    module.exports = compareLoose;
  }
});

// node_modules/semver/functions/compare-build.js
var require_compare_build = __commonJS({
  "node_modules/semver/functions/compare-build.js"(exports, module) {
    "use strict";
    var SemVer = require_semver();
    var compareBuild = (a, b, loose) => {
      const versionA = new SemVer(a, loose);
      const versionB = new SemVer(b, loose);
      return versionA.compare(versionB) || versionA.compareBuild(versionB);
    };
    module.exports = compareBuild;
  }
});

// node_modules/semver/functions/sort.js
var require_sort = __commonJS({
  "node_modules/semver/functions/sort.js"(exports, module) {
    "use strict";
    var compareBuild = require_compare_build();
    var sort = (list2, loose) => list2.sort((a, b) => compareBuild(a, b, loose));
    module.exports = sort;
  }
});

// node_modules/semver/functions/rsort.js
var require_rsort = __commonJS({
  "node_modules/semver/functions/rsort.js"(exports, module) {
    "use strict";
    var compareBuild = require_compare_build();
    var rsort = (list2, loose) => list2.sort((a, b) => compareBuild(b, a, loose));
    module.exports = rsort;
  }
});

// node_modules/semver/functions/gt.js
var require_gt = __commonJS({
  "node_modules/semver/functions/gt.js"(exports, module) {
    "use strict";
    var compare = require_compare();
    var gt = (a, b, loose) => compare(a, b, loose) > 0;
    module.exports = gt;
  }
});

// node_modules/semver/functions/lt.js
var require_lt = __commonJS({
  "node_modules/semver/functions/lt.js"(exports, module) {
    "use strict";
    var compare = require_compare();
    var lt = (a, b, loose) => compare(a, b, loose) < 0;
    module.exports = lt;
  }
});

// node_modules/semver/functions/eq.js
var require_eq = __commonJS({
  "node_modules/semver/functions/eq.js"(exports, module) {
    "use strict";
    var compare = require_compare();
    var eq = (a, b, loose) => compare(a, b, loose) === 0;
    module.exports = eq;
  }
});

// node_modules/semver/functions/neq.js
var require_neq = __commonJS({
  "node_modules/semver/functions/neq.js"(exports, module) {
    "use strict";
    var compare = require_compare();
    var neq = (a, b, loose) => compare(a, b, loose) !== 0;
    module.exports = neq;
  }
});

// node_modules/semver/functions/gte.js
var require_gte = __commonJS({
  "node_modules/semver/functions/gte.js"(exports, module) {
    "use strict";
    var compare = require_compare();
    var gte = (a, b, loose) => compare(a, b, loose) >= 0;
    module.exports = gte;
  }
});

// node_modules/semver/functions/lte.js
var require_lte = __commonJS({
  "node_modules/semver/functions/lte.js"(exports, module) {
    "use strict";
    var compare = require_compare();
    var lte = (a, b, loose) => compare(a, b, loose) <= 0;
    module.exports = lte;
  }
});

// node_modules/semver/functions/cmp.js
var require_cmp = __commonJS({
  "node_modules/semver/functions/cmp.js"(exports, module) {
    "use strict";
    var eq = require_eq();
    var neq = require_neq();
    var gt = require_gt();
    var gte = require_gte();
    var lt = require_lt();
    var lte = require_lte();
    var cmp = (a, op, b, loose) => {
      switch (op) {
        case "===":
          if (typeof a === "object") {
            a = a.version;
          }
          if (typeof b === "object") {
            b = b.version;
          }
          return a === b;
        case "!==":
          if (typeof a === "object") {
            a = a.version;
          }
          if (typeof b === "object") {
            b = b.version;
          }
          return a !== b;
        case "":
        case "=":
        case "==":
          return eq(a, b, loose);
        case "!=":
          return neq(a, b, loose);
        case ">":
          return gt(a, b, loose);
        case ">=":
          return gte(a, b, loose);
        case "<":
          return lt(a, b, loose);
        case "<=":
          return lte(a, b, loose);
        default:
          throw new TypeError(`Invalid operator: ${op}`);
      }
    };
    module.exports = cmp;
  }
});

// node_modules/semver/functions/coerce.js
var require_coerce = __commonJS({
  "node_modules/semver/functions/coerce.js"(exports, module) {
    "use strict";
    var SemVer = require_semver();
    var parse = require_parse();
    var { safeRe: re, t } = require_re();
    var coerce = (version, options) => {
      if (version instanceof SemVer) {
        return version;
      }
      if (typeof version === "number") {
        version = String(version);
      }
      if (typeof version !== "string") {
        return null;
      }
      options = options || {};
      let match = null;
      if (!options.rtl) {
        match = version.match(options.includePrerelease ? re[t.COERCEFULL] : re[t.COERCE]);
      } else {
        const coerceRtlRegex = options.includePrerelease ? re[t.COERCERTLFULL] : re[t.COERCERTL];
        let next;
        while ((next = coerceRtlRegex.exec(version)) && (!match || match.index + match[0].length !== version.length)) {
          if (!match || next.index + next[0].length !== match.index + match[0].length) {
            match = next;
          }
          coerceRtlRegex.lastIndex = next.index + next[1].length + next[2].length;
        }
        coerceRtlRegex.lastIndex = -1;
      }
      if (match === null) {
        return null;
      }
      const major = match[2];
      const minor = match[3] || "0";
      const patch = match[4] || "0";
      const prerelease = options.includePrerelease && match[5] ? `-${match[5]}` : "";
      const build = options.includePrerelease && match[6] ? `+${match[6]}` : "";
      return parse(`${major}.${minor}.${patch}${prerelease}${build}`, options);
    };
    module.exports = coerce;
  }
});

// node_modules/semver/functions/truncate.js
var require_truncate = __commonJS({
  "node_modules/semver/functions/truncate.js"(exports, module) {
    "use strict";
    var parse = require_parse();
    var constants = require_constants();
    var SemVer = require_semver();
    var truncate = (version, truncation, options) => {
      if (!constants.RELEASE_TYPES.includes(truncation)) {
        return null;
      }
      const clonedVersion = cloneInputVersion(version, options);
      return clonedVersion && doTruncation(clonedVersion, truncation);
    };
    var cloneInputVersion = (version, options) => {
      const versionStringToParse = version instanceof SemVer ? version.version : version;
      return parse(versionStringToParse, options);
    };
    var doTruncation = (version, truncation) => {
      if (isPrerelease(truncation)) {
        return version.version;
      }
      version.prerelease = [];
      switch (truncation) {
        case "major":
          version.minor = 0;
          version.patch = 0;
          break;
        case "minor":
          version.patch = 0;
          break;
      }
      return version.format();
    };
    var isPrerelease = (type) => {
      return type.startsWith("pre");
    };
    module.exports = truncate;
  }
});

// node_modules/semver/internal/lrucache.js
var require_lrucache = __commonJS({
  "node_modules/semver/internal/lrucache.js"(exports, module) {
    "use strict";
    var LRUCache = class {
      constructor() {
        this.max = 1e3;
        this.map = /* @__PURE__ */ new Map();
      }
      get(key) {
        const value = this.map.get(key);
        if (value === void 0) {
          return void 0;
        } else {
          this.map.delete(key);
          this.map.set(key, value);
          return value;
        }
      }
      delete(key) {
        return this.map.delete(key);
      }
      set(key, value) {
        const deleted = this.delete(key);
        if (!deleted && value !== void 0) {
          if (this.map.size >= this.max) {
            const firstKey = this.map.keys().next().value;
            this.delete(firstKey);
          }
          this.map.set(key, value);
        }
        return this;
      }
    };
    module.exports = LRUCache;
  }
});

// node_modules/semver/internal/trim-comparator-whitespace.js
var require_trim_comparator_whitespace = __commonJS({
  "node_modules/semver/internal/trim-comparator-whitespace.js"(exports, module) {
    "use strict";
    var {
      MAX_LENGTH,
      MAX_SAFE_BUILD_LENGTH,
      WHITESPACE_CHARACTERS
    } = require_constants();
    var whitespace = new Uint8Array(65536);
    for (const char of WHITESPACE_CHARACTERS) {
      whitespace[char.charCodeAt(0)] = 1;
    }
    var isWhitespace = (char) => char !== void 0 && whitespace[char.charCodeAt(0)] === 1;
    var isVersionPrefix = (char) => char === "v" || char === "=" || isWhitespace(char);
    var isDigit = (char) => char !== void 0 && char >= "0" && char <= "9";
    var isLetter = (char) => char !== void 0 && (char >= "a" && char <= "z" || char >= "A" && char <= "Z");
    var isIdentifierCharacter = (char) => isDigit(char) || isLetter(char) || char === "-";
    var isVersionStart = (char) => isDigit(char) || char === "x" || char === "X" || char === "*";
    var findDigitsEndIndex = (range, start, limit, digitRuns) => {
      if (!isDigit(range[start])) {
        return start;
      }
      if (start >= digitRuns.start && start < digitRuns.end) {
        return Math.min(start + limit, digitRuns.end);
      }
      if (start >= digitRuns.previousStart && start < digitRuns.previousEnd) {
        return Math.min(start + limit, digitRuns.previousEnd);
      }
      let end = start + 1;
      while (isDigit(range[end])) {
        end++;
      }
      digitRuns.previousStart = digitRuns.start;
      digitRuns.previousEnd = digitRuns.end;
      digitRuns.start = start;
      digitRuns.end = end;
      return Math.min(start + limit, end);
    };
    var findVersionNumberEndIndex = (range, start, loose, digitRuns) => {
      if (!loose && range[start] === "0") {
        return start + 1;
      }
      return findDigitsEndIndex(range, start, loose ? MAX_LENGTH : MAX_LENGTH + 1, digitRuns);
    };
    var findPrereleaseIdentifierEndIndex = (range, start, loose, digitRuns) => {
      const digitsEnd = findDigitsEndIndex(range, start, MAX_LENGTH, digitRuns);
      if (isLetter(range[digitsEnd]) || range[digitsEnd] === "-") {
        let end = digitsEnd + 1;
        const limit = end + MAX_SAFE_BUILD_LENGTH;
        while (end < limit && isIdentifierCharacter(range[end])) {
          end++;
        }
        return end;
      }
      return findVersionNumberEndIndex(range, start, loose, digitRuns);
    };
    var findPrereleaseEndIndex = (range, start, loose, digitRuns) => {
      const hyphen = range[start] === "-";
      if (!loose && !hyphen) {
        return start;
      }
      const identifierStart = start + (hyphen ? 1 : 0);
      let end = findPrereleaseIdentifierEndIndex(range, identifierStart, loose, digitRuns);
      if (end === identifierStart) {
        if (!loose || !hyphen) {
          return start;
        }
        end = findPrereleaseIdentifierEndIndex(range, start, loose, digitRuns);
      }
      while (range[end] === ".") {
        const next = findPrereleaseIdentifierEndIndex(range, end + 1, loose, digitRuns);
        if (next === end + 1) {
          break;
        }
        end = next;
      }
      return end;
    };
    var findBuildIdentifierEndIndex = (range, start) => {
      let end = start;
      while (end - start < MAX_SAFE_BUILD_LENGTH && isIdentifierCharacter(range[end])) {
        end++;
      }
      return end;
    };
    var findBuildEndIndex = (range, start) => {
      if (range[start] !== "+") {
        return start;
      }
      let end = findBuildIdentifierEndIndex(range, start + 1);
      if (end === start + 1) {
        return start;
      }
      while (range[end] === ".") {
        const next = findBuildIdentifierEndIndex(range, end + 1);
        if (next === end + 1) {
          break;
        }
        end = next;
      }
      return end;
    };
    var findLooseFullVersionEndIndex = (range, start, digitRuns) => {
      let end = start;
      for (let component = 0; component < 3; component++) {
        const next = findVersionNumberEndIndex(range, end, true, digitRuns);
        if (next === end) {
          return start;
        }
        end = next;
        if (component < 2) {
          if (range[end] !== ".") {
            return start;
          }
          end++;
        }
      }
      const prereleaseEnd = findPrereleaseEndIndex(range, end, true, digitRuns);
      return findBuildEndIndex(range, prereleaseEnd);
    };
    var findPartialVersionComponentEndIndex = (range, start, digitRuns) => {
      if (isDigit(range[start])) {
        return findVersionNumberEndIndex(range, start, false, digitRuns);
      }
      return isVersionStart(range[start]) ? start + 1 : start;
    };
    var findPartialVersionEndIndex = (range, start, digitRuns) => {
      let end = findPartialVersionComponentEndIndex(range, start, digitRuns);
      for (let component = 0; component < 2; component++) {
        if (range[end] !== ".") {
          return end;
        }
        const next = findPartialVersionComponentEndIndex(range, end + 1, digitRuns);
        if (next === end + 1) {
          return end;
        }
        end = next;
      }
      const prereleaseEnd = findPrereleaseEndIndex(range, end, false, digitRuns);
      return findBuildEndIndex(range, prereleaseEnd);
    };
    var findVersionEndIndex = (range, start, digitRuns) => {
      const fullVersionEnd = findLooseFullVersionEndIndex(range, start, digitRuns);
      return fullVersionEnd !== start ? fullVersionEnd : findPartialVersionEndIndex(range, start, digitRuns);
    };
    var findRemovableWhitespaceIndex = (range, matchStart) => {
      let position = matchStart;
      if (isWhitespace(range[position])) {
        position++;
      }
      if (range[position] === "<" || range[position] === ">") {
        position++;
      }
      if (range[position] === "=") {
        position++;
      }
      return isWhitespace(range[position]) ? position : -1;
    };
    var trimComparatorWhitespace = (range) => {
      let result = "";
      let copyFrom = 0;
      let cursor = 0;
      const digitRuns = { start: -1, end: -1, previousStart: -1, previousEnd: -1 };
      while (cursor < range.length) {
        const matchStart = cursor;
        if (range[cursor] === "<" || range[cursor] === ">") {
          cursor++;
        } else if (!isVersionPrefix(range[cursor]) && !isVersionStart(range[cursor])) {
          cursor++;
          continue;
        }
        while (cursor < range.length && isVersionPrefix(range[cursor])) {
          cursor++;
        }
        if (!isVersionStart(range[cursor])) {
          continue;
        }
        const whitespacePosition = findRemovableWhitespaceIndex(range, matchStart);
        if (whitespacePosition !== -1) {
          result += range.slice(copyFrom, whitespacePosition);
          copyFrom = whitespacePosition + 1;
        }
        cursor = findVersionEndIndex(range, cursor, digitRuns);
      }
      return result + range.slice(copyFrom);
    };
    module.exports = trimComparatorWhitespace;
  }
});

// node_modules/semver/classes/range.js
var require_range = __commonJS({
  "node_modules/semver/classes/range.js"(exports, module) {
    "use strict";
    var SPACE_CHARACTERS = /\s+/g;
    var Range = class _Range {
      constructor(range, options) {
        options = parseOptions(options);
        if (range instanceof _Range) {
          if (range.loose === !!options.loose && range.includePrerelease === !!options.includePrerelease) {
            return range;
          } else {
            return new _Range(range.raw, options);
          }
        }
        if (range instanceof Comparator) {
          this.raw = range.value;
          this.set = [[range]];
          this.formatted = void 0;
          return this;
        }
        this.options = options;
        this.loose = !!options.loose;
        this.includePrerelease = !!options.includePrerelease;
        this.raw = range.trim().replace(SPACE_CHARACTERS, " ");
        this.set = this.raw.split("||").map((r) => this.parseRange(r.trim())).filter((c) => c.length);
        if (!this.set.length) {
          throw new TypeError(`Invalid SemVer Range: ${this.raw}`);
        }
        if (this.set.length > 1) {
          const first = this.set[0];
          this.set = this.set.filter((c) => !isNullSet(c[0]));
          if (this.set.length === 0) {
            this.set = [first];
          } else if (this.set.length > 1) {
            for (const c of this.set) {
              if (c.length === 1 && isAny(c[0])) {
                this.set = [c];
                break;
              }
            }
          }
        }
        this.formatted = void 0;
      }
      get range() {
        if (this.formatted === void 0) {
          this.formatted = "";
          for (let i = 0; i < this.set.length; i++) {
            if (i > 0) {
              this.formatted += "||";
            }
            const comps = this.set[i];
            for (let k = 0; k < comps.length; k++) {
              if (k > 0) {
                this.formatted += " ";
              }
              this.formatted += comps[k].toString().trim();
            }
          }
        }
        return this.formatted;
      }
      format() {
        return this.range;
      }
      toString() {
        return this.range;
      }
      parseRange(range) {
        range = range.replace(BUILDSTRIPRE, "");
        const memoOpts = (this.options.includePrerelease && FLAG_INCLUDE_PRERELEASE) | (this.options.loose && FLAG_LOOSE);
        const memoKey = memoOpts + ":" + range;
        const cached = cache.get(memoKey);
        if (cached) {
          return cached;
        }
        const loose = this.options.loose;
        const hr = loose ? re[t.HYPHENRANGELOOSE] : re[t.HYPHENRANGE];
        range = range.replace(hr, hyphenReplace(this.options.includePrerelease));
        debug("hyphen replace", range);
        range = trimComparatorWhitespace(range);
        debug("comparator trim", range);
        range = range.replace(re[t.TILDETRIM], tildeTrimReplace);
        debug("tilde trim", range);
        range = range.replace(re[t.CARETTRIM], caretTrimReplace);
        debug("caret trim", range);
        let rangeList = range.split(" ").map((comp) => parseComparator(comp, this.options)).join(" ").split(/\s+/).map((comp) => replaceGTE0(comp, this.options));
        if (loose) {
          rangeList = rangeList.filter((comp) => {
            debug("loose invalid filter", comp, this.options);
            return !!comp.match(re[t.COMPARATORLOOSE]);
          });
        }
        debug("range list", rangeList);
        const rangeMap = /* @__PURE__ */ new Map();
        const comparators = rangeList.map((comp) => new Comparator(comp, this.options));
        for (const comp of comparators) {
          if (isNullSet(comp)) {
            return [comp];
          }
          rangeMap.set(comp.value, comp);
        }
        if (rangeMap.size > 1 && rangeMap.has("")) {
          rangeMap.delete("");
        }
        const result = [...rangeMap.values()];
        cache.set(memoKey, result);
        return result;
      }
      intersects(range, options) {
        if (!(range instanceof _Range)) {
          throw new TypeError("a Range is required");
        }
        return this.set.some((thisComparators) => {
          return isSatisfiable(thisComparators, options) && range.set.some((rangeComparators) => {
            return isSatisfiable(rangeComparators, options) && thisComparators.every((thisComparator) => {
              return rangeComparators.every((rangeComparator) => {
                return thisComparator.intersects(rangeComparator, options);
              });
            });
          });
        });
      }
      // if ANY of the sets match ALL of its comparators, then pass
      test(version) {
        if (!version) {
          return false;
        }
        if (typeof version === "string") {
          try {
            version = new SemVer(version, this.options);
          } catch (er) {
            return false;
          }
        }
        for (let i = 0; i < this.set.length; i++) {
          if (testSet(this.set[i], version, this.options)) {
            return true;
          }
        }
        return false;
      }
    };
    module.exports = Range;
    var LRU = require_lrucache();
    var cache = new LRU();
    var parseOptions = require_parse_options();
    var Comparator = require_comparator();
    var debug = require_debug();
    var SemVer = require_semver();
    var trimComparatorWhitespace = require_trim_comparator_whitespace();
    var {
      safeRe: re,
      src,
      t,
      tildeTrimReplace,
      caretTrimReplace
    } = require_re();
    var { FLAG_INCLUDE_PRERELEASE, FLAG_LOOSE } = require_constants();
    var BUILDSTRIPRE = new RegExp(src[t.BUILD], "g");
    var isNullSet = (c) => c.value === "<0.0.0-0";
    var isAny = (c) => c.value === "";
    var isSatisfiable = (comparators, options) => {
      let result = true;
      const remainingComparators = comparators.slice();
      let testComparator = remainingComparators.pop();
      while (result && remainingComparators.length) {
        result = remainingComparators.every((otherComparator) => {
          return testComparator.intersects(otherComparator, options);
        });
        testComparator = remainingComparators.pop();
      }
      return result;
    };
    var parseComparator = (comp, options) => {
      comp = comp.replace(re[t.BUILD], "");
      debug("comp", comp, options);
      comp = replaceCarets(comp, options);
      debug("caret", comp);
      comp = replaceTildes(comp, options);
      debug("tildes", comp);
      comp = replaceXRanges(comp, options);
      debug("xrange", comp);
      comp = replaceStars(comp, options);
      debug("stars", comp);
      return comp;
    };
    var isX = (id) => !id || id.toLowerCase() === "x" || id === "*";
    var invalidXRangeOrder = (M, m, p) => isX(M) && !isX(m) || isX(m) && p && !isX(p);
    var replaceTildes = (comp, options) => {
      return comp.trim().split(/\s+/).map((c) => replaceTilde(c, options)).join(" ");
    };
    var replaceTilde = (comp, options) => {
      const r = options.loose ? re[t.TILDELOOSE] : re[t.TILDE];
      const z = options.includePrerelease ? "-0" : "";
      return comp.replace(r, (_, M, m, p, pr) => {
        debug("tilde", comp, _, M, m, p, pr);
        let ret;
        if (isX(M)) {
          ret = "";
        } else if (isX(m)) {
          ret = `>=${M}.0.0${z} <${+M + 1}.0.0-0`;
        } else if (isX(p)) {
          ret = `>=${M}.${m}.0${z} <${M}.${+m + 1}.0-0`;
        } else if (pr) {
          debug("replaceTilde pr", pr);
          ret = `>=${M}.${m}.${p}-${pr} <${M}.${+m + 1}.0-0`;
        } else {
          ret = `>=${M}.${m}.${p} <${M}.${+m + 1}.0-0`;
        }
        debug("tilde return", ret);
        return ret;
      });
    };
    var replaceCarets = (comp, options) => {
      return comp.trim().split(/\s+/).map((c) => replaceCaret(c, options)).join(" ");
    };
    var replaceCaret = (comp, options) => {
      debug("caret", comp, options);
      const r = options.loose ? re[t.CARETLOOSE] : re[t.CARET];
      const z = options.includePrerelease ? "-0" : "";
      return comp.replace(r, (_, M, m, p, pr) => {
        debug("caret", comp, _, M, m, p, pr);
        let ret;
        if (isX(M)) {
          ret = "";
        } else if (isX(m)) {
          ret = `>=${M}.0.0${z} <${+M + 1}.0.0-0`;
        } else if (isX(p)) {
          if (M === "0") {
            ret = `>=${M}.${m}.0${z} <${M}.${+m + 1}.0-0`;
          } else {
            ret = `>=${M}.${m}.0${z} <${+M + 1}.0.0-0`;
          }
        } else if (pr) {
          debug("replaceCaret pr", pr);
          if (M === "0") {
            if (m === "0") {
              ret = `>=${M}.${m}.${p}-${pr} <${M}.${m}.${+p + 1}-0`;
            } else {
              ret = `>=${M}.${m}.${p}-${pr} <${M}.${+m + 1}.0-0`;
            }
          } else {
            ret = `>=${M}.${m}.${p}-${pr} <${+M + 1}.0.0-0`;
          }
        } else {
          debug("no pr");
          if (M === "0") {
            if (m === "0") {
              ret = `>=${M}.${m}.${p} <${M}.${m}.${+p + 1}-0`;
            } else {
              ret = `>=${M}.${m}.${p} <${M}.${+m + 1}.0-0`;
            }
          } else {
            ret = `>=${M}.${m}.${p} <${+M + 1}.0.0-0`;
          }
        }
        debug("caret return", ret);
        return ret;
      });
    };
    var replaceXRanges = (comp, options) => {
      debug("replaceXRanges", comp, options);
      return comp.split(/\s+/).map((c) => replaceXRange(c, options)).join(" ");
    };
    var replaceXRange = (comp, options) => {
      comp = comp.trim();
      const r = options.loose ? re[t.XRANGELOOSE] : re[t.XRANGE];
      return comp.replace(r, (ret, gtlt, M, m, p, pr) => {
        debug("xRange", comp, ret, gtlt, M, m, p, pr);
        if (invalidXRangeOrder(M, m, p)) {
          return comp;
        }
        const xM = isX(M);
        const xm = xM || isX(m);
        const xp = xm || isX(p);
        const anyX = xp;
        if (gtlt === "=" && anyX) {
          gtlt = "";
        }
        pr = options.includePrerelease ? "-0" : "";
        if (xM) {
          if (gtlt === ">" || gtlt === "<") {
            ret = "<0.0.0-0";
          } else {
            ret = "*";
          }
        } else if (gtlt && anyX) {
          if (xm) {
            m = 0;
          }
          p = 0;
          if (gtlt === ">") {
            gtlt = ">=";
            if (xm) {
              M = +M + 1;
              m = 0;
              p = 0;
            } else {
              m = +m + 1;
              p = 0;
            }
          } else if (gtlt === "<=") {
            gtlt = "<";
            if (xm) {
              M = +M + 1;
            } else {
              m = +m + 1;
            }
          }
          if (gtlt === "<") {
            pr = "-0";
          }
          ret = `${gtlt + M}.${m}.${p}${pr}`;
        } else if (xm) {
          ret = `>=${M}.0.0${pr} <${+M + 1}.0.0-0`;
        } else if (xp) {
          ret = `>=${M}.${m}.0${pr} <${M}.${+m + 1}.0-0`;
        }
        debug("xRange return", ret);
        return ret;
      });
    };
    var replaceStars = (comp, options) => {
      debug("replaceStars", comp, options);
      return comp.trim().replace(re[t.STAR], "");
    };
    var replaceGTE0 = (comp, options) => {
      debug("replaceGTE0", comp, options);
      return comp.trim().replace(re[options.includePrerelease ? t.GTE0PRE : t.GTE0], "");
    };
    var hyphenReplace = (incPr) => ($0, from, fM, fm, fp, fpr, fb, to, tM, tm, tp, tpr) => {
      if (isX(fM)) {
        from = "";
      } else if (isX(fm)) {
        from = `>=${fM}.0.0${incPr ? "-0" : ""}`;
      } else if (isX(fp)) {
        from = `>=${fM}.${fm}.0${incPr ? "-0" : ""}`;
      } else if (fpr) {
        from = `>=${from}`;
      } else {
        from = `>=${from}${incPr ? "-0" : ""}`;
      }
      if (isX(tM)) {
        to = "";
      } else if (isX(tm)) {
        to = `<${+tM + 1}.0.0-0`;
      } else if (isX(tp)) {
        to = `<${tM}.${+tm + 1}.0-0`;
      } else if (tpr) {
        to = `<=${tM}.${tm}.${tp}-${tpr}`;
      } else if (incPr) {
        to = `<${tM}.${tm}.${+tp + 1}-0`;
      } else {
        to = `<=${to}`;
      }
      return `${from} ${to}`.trim();
    };
    var testSet = (set, version, options) => {
      for (let i = 0; i < set.length; i++) {
        if (!set[i].test(version)) {
          return false;
        }
      }
      if (version.prerelease.length && !options.includePrerelease) {
        for (let i = 0; i < set.length; i++) {
          debug(set[i].semver);
          if (set[i].semver === Comparator.ANY) {
            continue;
          }
          if (set[i].semver.prerelease.length > 0) {
            const allowed = set[i].semver;
            if (allowed.major === version.major && allowed.minor === version.minor && allowed.patch === version.patch) {
              return true;
            }
          }
        }
        return false;
      }
      return true;
    };
  }
});

// node_modules/semver/classes/comparator.js
var require_comparator = __commonJS({
  "node_modules/semver/classes/comparator.js"(exports, module) {
    "use strict";
    var ANY = /* @__PURE__ */ Symbol("SemVer ANY");
    var Comparator = class _Comparator {
      static get ANY() {
        return ANY;
      }
      constructor(comp, options) {
        options = parseOptions(options);
        if (comp instanceof _Comparator) {
          if (comp.loose === !!options.loose) {
            return comp;
          } else {
            comp = comp.value;
          }
        }
        comp = comp.trim().split(/\s+/).join(" ");
        debug("comparator", comp, options);
        this.options = options;
        this.loose = !!options.loose;
        this.parse(comp);
        if (this.semver === ANY) {
          this.value = "";
        } else {
          this.value = this.operator + this.semver.version;
        }
        debug("comp", this);
      }
      parse(comp) {
        const r = this.options.loose ? re[t.COMPARATORLOOSE] : re[t.COMPARATOR];
        const m = comp.match(r);
        if (!m) {
          throw new TypeError(`Invalid comparator: ${comp}`);
        }
        this.operator = m[1] !== void 0 ? m[1] : "";
        if (this.operator === "=") {
          this.operator = "";
        }
        if (!m[2]) {
          this.semver = ANY;
        } else {
          this.semver = new SemVer(m[2], this.options.loose);
        }
      }
      toString() {
        return this.value;
      }
      test(version) {
        debug("Comparator.test", version, this.options.loose);
        if (this.semver === ANY || version === ANY) {
          return true;
        }
        if (typeof version === "string") {
          try {
            version = new SemVer(version, this.options);
          } catch (er) {
            return false;
          }
        }
        return cmp(version, this.operator, this.semver, this.options);
      }
      intersects(comp, options) {
        if (!(comp instanceof _Comparator)) {
          throw new TypeError("a Comparator is required");
        }
        if (this.operator === "") {
          if (this.value === "") {
            return true;
          }
          return new Range(comp.value, options).test(this.value);
        } else if (comp.operator === "") {
          if (comp.value === "") {
            return true;
          }
          return new Range(this.value, options).test(comp.semver);
        }
        options = parseOptions(options);
        if (options.includePrerelease && (this.value === "<0.0.0-0" || comp.value === "<0.0.0-0")) {
          return false;
        }
        if (!options.includePrerelease && (this.value.startsWith("<0.0.0") || comp.value.startsWith("<0.0.0"))) {
          return false;
        }
        if (this.operator.startsWith(">") && comp.operator.startsWith(">")) {
          return true;
        }
        if (this.operator.startsWith("<") && comp.operator.startsWith("<")) {
          return true;
        }
        if (this.semver.version === comp.semver.version && this.operator.includes("=") && comp.operator.includes("=")) {
          return true;
        }
        if (cmp(this.semver, "<", comp.semver, options) && this.operator.startsWith(">") && comp.operator.startsWith("<")) {
          return true;
        }
        if (cmp(this.semver, ">", comp.semver, options) && this.operator.startsWith("<") && comp.operator.startsWith(">")) {
          return true;
        }
        return false;
      }
    };
    module.exports = Comparator;
    var parseOptions = require_parse_options();
    var { safeRe: re, t } = require_re();
    var cmp = require_cmp();
    var debug = require_debug();
    var SemVer = require_semver();
    var Range = require_range();
  }
});

// node_modules/semver/functions/satisfies.js
var require_satisfies = __commonJS({
  "node_modules/semver/functions/satisfies.js"(exports, module) {
    "use strict";
    var Range = require_range();
    var satisfies = (version, range, options) => {
      try {
        range = new Range(range, options);
      } catch (er) {
        return false;
      }
      return range.test(version);
    };
    module.exports = satisfies;
  }
});

// node_modules/semver/ranges/to-comparators.js
var require_to_comparators = __commonJS({
  "node_modules/semver/ranges/to-comparators.js"(exports, module) {
    "use strict";
    var Range = require_range();
    var toComparators = (range, options) => new Range(range, options).set.map((comp) => comp.map((c) => c.value).join(" ").trim().split(" "));
    module.exports = toComparators;
  }
});

// node_modules/semver/ranges/max-satisfying.js
var require_max_satisfying = __commonJS({
  "node_modules/semver/ranges/max-satisfying.js"(exports, module) {
    "use strict";
    var SemVer = require_semver();
    var Range = require_range();
    var maxSatisfying = (versions, range, options) => {
      let max = null;
      let maxSV = null;
      let rangeObj = null;
      try {
        rangeObj = new Range(range, options);
      } catch (er) {
        return null;
      }
      versions.forEach((v) => {
        if (rangeObj.test(v)) {
          if (!max || maxSV.compare(v) === -1) {
            max = v;
            maxSV = new SemVer(max, options);
          }
        }
      });
      return max;
    };
    module.exports = maxSatisfying;
  }
});

// node_modules/semver/ranges/min-satisfying.js
var require_min_satisfying = __commonJS({
  "node_modules/semver/ranges/min-satisfying.js"(exports, module) {
    "use strict";
    var SemVer = require_semver();
    var Range = require_range();
    var minSatisfying = (versions, range, options) => {
      let min = null;
      let minSV = null;
      let rangeObj = null;
      try {
        rangeObj = new Range(range, options);
      } catch (er) {
        return null;
      }
      versions.forEach((v) => {
        if (rangeObj.test(v)) {
          if (!min || minSV.compare(v) === 1) {
            min = v;
            minSV = new SemVer(min, options);
          }
        }
      });
      return min;
    };
    module.exports = minSatisfying;
  }
});

// node_modules/semver/ranges/min-version.js
var require_min_version = __commonJS({
  "node_modules/semver/ranges/min-version.js"(exports, module) {
    "use strict";
    var SemVer = require_semver();
    var Range = require_range();
    var gt = require_gt();
    var minVersion = (range, loose) => {
      range = new Range(range, loose);
      let minver = new SemVer("0.0.0");
      if (range.test(minver)) {
        return minver;
      }
      minver = new SemVer("0.0.0-0");
      if (range.test(minver)) {
        return minver;
      }
      minver = null;
      for (let i = 0; i < range.set.length; ++i) {
        const comparators = range.set[i];
        let setMin = null;
        comparators.forEach((comparator) => {
          const compver = new SemVer(comparator.semver.version);
          switch (comparator.operator) {
            case ">":
              if (compver.prerelease.length === 0) {
                compver.patch++;
              } else {
                compver.prerelease.push(0);
              }
              compver.raw = compver.format();
            /* fallthrough */
            case "":
            case ">=":
              if (!setMin || gt(compver, setMin)) {
                setMin = compver;
              }
              break;
            case "<":
            case "<=":
              break;
            /* istanbul ignore next */
            default:
              throw new Error(`Unexpected operation: ${comparator.operator}`);
          }
        });
        if (setMin && (!minver || gt(minver, setMin))) {
          minver = setMin;
        }
      }
      if (minver && range.test(minver)) {
        return minver;
      }
      return null;
    };
    module.exports = minVersion;
  }
});

// node_modules/semver/ranges/valid.js
var require_valid2 = __commonJS({
  "node_modules/semver/ranges/valid.js"(exports, module) {
    "use strict";
    var Range = require_range();
    var validRange = (range, options) => {
      try {
        return new Range(range, options).range || "*";
      } catch (er) {
        return null;
      }
    };
    module.exports = validRange;
  }
});

// node_modules/semver/ranges/outside.js
var require_outside = __commonJS({
  "node_modules/semver/ranges/outside.js"(exports, module) {
    "use strict";
    var SemVer = require_semver();
    var Comparator = require_comparator();
    var { ANY } = Comparator;
    var Range = require_range();
    var satisfies = require_satisfies();
    var gt = require_gt();
    var lt = require_lt();
    var lte = require_lte();
    var gte = require_gte();
    var outside = (version, range, hilo, options) => {
      version = new SemVer(version, options);
      range = new Range(range, options);
      let gtfn, ltefn, ltfn, comp, ecomp;
      switch (hilo) {
        case ">":
          gtfn = gt;
          ltefn = lte;
          ltfn = lt;
          comp = ">";
          ecomp = ">=";
          break;
        case "<":
          gtfn = lt;
          ltefn = gte;
          ltfn = gt;
          comp = "<";
          ecomp = "<=";
          break;
        default:
          throw new TypeError('Must provide a hilo val of "<" or ">"');
      }
      if (satisfies(version, range, options)) {
        return false;
      }
      for (let i = 0; i < range.set.length; ++i) {
        const comparators = range.set[i];
        let high = null;
        let low = null;
        comparators.forEach((comparator) => {
          if (comparator.semver === ANY) {
            comparator = new Comparator(">=0.0.0");
          }
          high = high || comparator;
          low = low || comparator;
          if (gtfn(comparator.semver, high.semver, options)) {
            high = comparator;
          } else if (ltfn(comparator.semver, low.semver, options)) {
            low = comparator;
          }
        });
        if (high.operator === comp || high.operator === ecomp) {
          return false;
        }
        if ((!low.operator || low.operator === comp) && ltefn(version, low.semver)) {
          return false;
        } else if (low.operator === ecomp && ltfn(version, low.semver)) {
          return false;
        }
      }
      return true;
    };
    module.exports = outside;
  }
});

// node_modules/semver/ranges/gtr.js
var require_gtr = __commonJS({
  "node_modules/semver/ranges/gtr.js"(exports, module) {
    "use strict";
    var outside = require_outside();
    var gtr = (version, range, options) => outside(version, range, ">", options);
    module.exports = gtr;
  }
});

// node_modules/semver/ranges/ltr.js
var require_ltr = __commonJS({
  "node_modules/semver/ranges/ltr.js"(exports, module) {
    "use strict";
    var outside = require_outside();
    var ltr = (version, range, options) => outside(version, range, "<", options);
    module.exports = ltr;
  }
});

// node_modules/semver/ranges/intersects.js
var require_intersects = __commonJS({
  "node_modules/semver/ranges/intersects.js"(exports, module) {
    "use strict";
    var Range = require_range();
    var intersects = (r1, r2, options) => {
      r1 = new Range(r1, options);
      r2 = new Range(r2, options);
      return r1.intersects(r2, options);
    };
    module.exports = intersects;
  }
});

// node_modules/semver/ranges/simplify.js
var require_simplify = __commonJS({
  "node_modules/semver/ranges/simplify.js"(exports, module) {
    "use strict";
    var satisfies = require_satisfies();
    var compare = require_compare();
    module.exports = (versions, range, options) => {
      const set = [];
      let first = null;
      let prev = null;
      const v = versions.sort((a, b) => compare(a, b, options));
      for (const version of v) {
        const included = satisfies(version, range, options);
        if (included) {
          prev = version;
          if (!first) {
            first = version;
          }
        } else {
          if (prev) {
            set.push([first, prev]);
          }
          prev = null;
          first = null;
        }
      }
      if (first) {
        set.push([first, null]);
      }
      const ranges = [];
      for (const [min, max] of set) {
        if (min === max) {
          ranges.push(min);
        } else if (!max && min === v[0]) {
          ranges.push("*");
        } else if (!max) {
          ranges.push(`>=${min}`);
        } else if (min === v[0]) {
          ranges.push(`<=${max}`);
        } else {
          ranges.push(`${min} - ${max}`);
        }
      }
      const simplified = ranges.join(" || ");
      const original = typeof range.raw === "string" ? range.raw : String(range);
      return simplified.length < original.length ? simplified : range;
    };
  }
});

// node_modules/semver/ranges/subset.js
var require_subset = __commonJS({
  "node_modules/semver/ranges/subset.js"(exports, module) {
    "use strict";
    var Range = require_range();
    var Comparator = require_comparator();
    var { ANY } = Comparator;
    var satisfies = require_satisfies();
    var compare = require_compare();
    var subset = (sub, dom, options = {}) => {
      if (sub === dom) {
        return true;
      }
      sub = new Range(sub, options);
      dom = new Range(dom, options);
      let sawNonNull = false;
      OUTER: for (const simpleSub of sub.set) {
        for (const simpleDom of dom.set) {
          const isSub = simpleSubset(simpleSub, simpleDom, options);
          sawNonNull = sawNonNull || isSub !== null;
          if (isSub) {
            continue OUTER;
          }
        }
        if (sawNonNull) {
          return false;
        }
      }
      return true;
    };
    var minimumVersionWithPreRelease = [new Comparator(">=0.0.0-0")];
    var minimumVersion = [new Comparator(">=0.0.0")];
    var simpleSubset = (sub, dom, options) => {
      if (sub === dom) {
        return true;
      }
      if (sub.length === 1 && sub[0].semver === ANY) {
        if (dom.length === 1 && dom[0].semver === ANY) {
          return true;
        } else if (options.includePrerelease) {
          sub = minimumVersionWithPreRelease;
        } else {
          sub = minimumVersion;
        }
      }
      if (dom.length === 1 && dom[0].semver === ANY) {
        if (options.includePrerelease) {
          return true;
        } else {
          dom = minimumVersion;
        }
      }
      const eqSet = /* @__PURE__ */ new Set();
      let gt, lt;
      for (const c of sub) {
        if (c.operator === ">" || c.operator === ">=") {
          gt = higherGT(gt, c, options);
        } else if (c.operator === "<" || c.operator === "<=") {
          lt = lowerLT(lt, c, options);
        } else {
          eqSet.add(c.semver);
        }
      }
      if (eqSet.size > 1) {
        return null;
      }
      let gtltComp;
      if (gt && lt) {
        gtltComp = compare(gt.semver, lt.semver, options);
        if (gtltComp > 0) {
          return null;
        } else if (gtltComp === 0 && (gt.operator !== ">=" || lt.operator !== "<=")) {
          return null;
        }
      }
      for (const eq of eqSet) {
        if (gt && !satisfies(eq, String(gt), options)) {
          return null;
        }
        if (lt && !satisfies(eq, String(lt), options)) {
          return null;
        }
        for (const c of dom) {
          if (!satisfies(eq, String(c), options)) {
            return false;
          }
        }
        return true;
      }
      let higher, lower;
      let hasDomLT, hasDomGT;
      let needDomLTPre = lt && !options.includePrerelease && lt.semver.prerelease.length ? lt.semver : false;
      let needDomGTPre = gt && !options.includePrerelease && gt.semver.prerelease.length ? gt.semver : false;
      if (needDomLTPre && needDomLTPre.prerelease.length === 1 && lt.operator === "<" && needDomLTPre.prerelease[0] === 0) {
        needDomLTPre = false;
      }
      for (const c of dom) {
        hasDomGT = hasDomGT || c.operator === ">" || c.operator === ">=";
        hasDomLT = hasDomLT || c.operator === "<" || c.operator === "<=";
        if (gt) {
          if (needDomGTPre) {
            if (c.semver.prerelease && c.semver.prerelease.length && c.semver.major === needDomGTPre.major && c.semver.minor === needDomGTPre.minor && c.semver.patch === needDomGTPre.patch) {
              needDomGTPre = false;
            }
          }
          if (c.operator === ">" || c.operator === ">=") {
            higher = higherGT(gt, c, options);
            if (higher === c && higher !== gt) {
              return false;
            }
          } else if (gt.operator === ">=" && !c.test(gt.semver)) {
            return false;
          }
        }
        if (lt) {
          if (needDomLTPre) {
            if (c.semver.prerelease && c.semver.prerelease.length && c.semver.major === needDomLTPre.major && c.semver.minor === needDomLTPre.minor && c.semver.patch === needDomLTPre.patch) {
              needDomLTPre = false;
            }
          }
          if (c.operator === "<" || c.operator === "<=") {
            lower = lowerLT(lt, c, options);
            if (lower === c && lower !== lt) {
              return false;
            }
          } else if (lt.operator === "<=" && !c.test(lt.semver)) {
            return false;
          }
        }
        if (!c.operator && (lt || gt) && gtltComp !== 0) {
          return false;
        }
      }
      if (gt && hasDomLT && !lt && gtltComp !== 0) {
        return false;
      }
      if (lt && hasDomGT && !gt && gtltComp !== 0) {
        return false;
      }
      if (needDomGTPre || needDomLTPre) {
        return false;
      }
      return true;
    };
    var higherGT = (a, b, options) => {
      if (!a) {
        return b;
      }
      const comp = compare(a.semver, b.semver, options);
      return comp > 0 ? a : comp < 0 ? b : b.operator === ">" && a.operator === ">=" ? b : a;
    };
    var lowerLT = (a, b, options) => {
      if (!a) {
        return b;
      }
      const comp = compare(a.semver, b.semver, options);
      return comp < 0 ? a : comp > 0 ? b : b.operator === "<" && a.operator === "<=" ? b : a;
    };
    module.exports = subset;
  }
});

// node_modules/semver/index.js
var require_semver2 = __commonJS({
  "node_modules/semver/index.js"(exports, module) {
    "use strict";
    var internalRe = require_re();
    var constants = require_constants();
    var SemVer = require_semver();
    var identifiers = require_identifiers();
    var parse = require_parse();
    var valid = require_valid();
    var clean = require_clean();
    var inc = require_inc();
    var diff = require_diff();
    var major = require_major();
    var minor = require_minor();
    var patch = require_patch();
    var prerelease = require_prerelease();
    var compare = require_compare();
    var rcompare = require_rcompare();
    var compareLoose = require_compare_loose();
    var compareBuild = require_compare_build();
    var sort = require_sort();
    var rsort = require_rsort();
    var gt = require_gt();
    var lt = require_lt();
    var eq = require_eq();
    var neq = require_neq();
    var gte = require_gte();
    var lte = require_lte();
    var cmp = require_cmp();
    var coerce = require_coerce();
    var truncate = require_truncate();
    var Comparator = require_comparator();
    var Range = require_range();
    var satisfies = require_satisfies();
    var toComparators = require_to_comparators();
    var maxSatisfying = require_max_satisfying();
    var minSatisfying = require_min_satisfying();
    var minVersion = require_min_version();
    var validRange = require_valid2();
    var outside = require_outside();
    var gtr = require_gtr();
    var ltr = require_ltr();
    var intersects = require_intersects();
    var simplifyRange = require_simplify();
    var subset = require_subset();
    module.exports = {
      parse,
      valid,
      clean,
      inc,
      diff,
      major,
      minor,
      patch,
      prerelease,
      compare,
      rcompare,
      compareLoose,
      compareBuild,
      sort,
      rsort,
      gt,
      lt,
      eq,
      neq,
      gte,
      lte,
      cmp,
      coerce,
      truncate,
      Comparator,
      Range,
      satisfies,
      toComparators,
      maxSatisfying,
      minSatisfying,
      minVersion,
      validRange,
      outside,
      gtr,
      ltr,
      intersects,
      simplifyRange,
      subset,
      SemVer,
      re: internalRe.re,
      src: internalRe.src,
      tokens: internalRe.t,
      SEMVER_SPEC_VERSION: constants.SEMVER_SPEC_VERSION,
      RELEASE_TYPES: constants.RELEASE_TYPES,
      compareIdentifiers: identifiers.compareIdentifiers,
      rcompareIdentifiers: identifiers.rcompareIdentifiers
    };
  }
});

// src/update/change-line.ts
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

// src/update/images-validator.generated.js
var import_ucs2length = __toESM(require_ucs2length(), 1);
var import_equal = __toESM(require_equal(), 1);
var schema12 = { "type": "object", "additionalProperties": false, "required": ["image"], "properties": { "image": { "type": "string", "minLength": 1, "description": "Image name as you write it (docker.io/nextcloud, ghcr.io/org/app, nginx, host:5000/team/app). Key in digests.json." }, "platforms": { "type": "array", "minItems": 1, "uniqueItems": true, "items": { "type": "string", "pattern": "^[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?$" }, "description": 'os/arch[/variant]; default ["linux/amd64", "linux/arm64"].' }, "tracks": { "type": "array", "uniqueItems": true, "items": { "enum": ["major", "major-minor", "major-minor-patch"] }, "description": "Which version tracks to publish; default all three." }, "tagPattern": { "type": "string", "minLength": 1, "description": "Regular expression in RE2 syntax (no lookarounds or backreferences) with named groups major (required), minor, patch and further numeric groups that order tags." }, "minVersion": { "type": "string", "pattern": "^v?[0-9]+(\\.[0-9]+)*$", "description": 'Versions below this are ignored entirely, e.g. "2024.12".' }, "allowedVersions": { "type": "string", "minLength": 1, "description": `A range in the semver package's syntax ("16.x", ">=30 <33", "^1.2") matched against major.minor.patch; versions outside it are not published.` }, "minimumReleaseAge": { "type": "string", "description": 'A new value for a track is taken only once its digest has been seen upstream this long: "3d", "12h", "30m", "1d12h".' }, "tags": { "type": "array", "uniqueItems": true, "items": { "type": "string", "pattern": "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$" }, "description": "Literal tags pinned as they are (latest, stable); the key is the tag." }, "alternates": { "type": "array", "uniqueItems": true, "items": { "type": "string", "minLength": 1 }, "description": 'Other repositories that publish the same images (ghcr.io/org/app for docker.io/org/app). Manifests and configs are read there by digest first and verified; tags and their digests always come from "image".' }, "manifests": { "type": "boolean", "description": "Publish this image's platform manifests in manifests.json (default true), which lib.fetchImage builds the image from. false: none are read or kept; each costs one manifest GET, once ever." }, "initialMajor": { "type": "array", "items": { "type": "string" }, "description": "Legacy (Renovate-based flake): tags that seeded this track kind. See the migration note." }, "initialMajorMinor": { "type": "array", "items": { "type": "string" }, "description": "Legacy (Renovate-based flake): tags that seeded this track kind. See the migration note." }, "initialMajorMinorPatch": { "type": "array", "items": { "type": "string" }, "description": "Legacy (Renovate-based flake): tags that seeded this track kind. See the migration note." } } };
var func2 = Object.prototype.hasOwnProperty;
var func3 = import_ucs2length.default.default;
var func0 = import_equal.default.default;
var pattern0 = new RegExp("^[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?$", "u");
var pattern1 = new RegExp("^v?[0-9]+(\\.[0-9]+)*$", "u");
var pattern2 = new RegExp("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", "u");
var validate10 = (function validate102(data, { instancePath = "", parentData, parentDataProperty, rootData = data } = {}) {
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
          if (data0.allowedVersions !== void 0) {
            let data8 = data0.allowedVersions;
            if (typeof data8 === "string") {
              if (func3(data8) < 1) {
                const err17 = { instancePath: instancePath + "/" + i0 + "/allowedVersions", schemaPath: "#/definitions/image/properties/allowedVersions/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters" };
                if (vErrors === null) {
                  vErrors = [err17];
                } else {
                  vErrors.push(err17);
                }
                errors++;
              }
            } else {
              const err18 = { instancePath: instancePath + "/" + i0 + "/allowedVersions", schemaPath: "#/definitions/image/properties/allowedVersions/type", keyword: "type", params: { type: "string" }, message: "must be string" };
              if (vErrors === null) {
                vErrors = [err18];
              } else {
                vErrors.push(err18);
              }
              errors++;
            }
          }
          if (data0.minimumReleaseAge !== void 0) {
            if (typeof data0.minimumReleaseAge !== "string") {
              const err19 = { instancePath: instancePath + "/" + i0 + "/minimumReleaseAge", schemaPath: "#/definitions/image/properties/minimumReleaseAge/type", keyword: "type", params: { type: "string" }, message: "must be string" };
              if (vErrors === null) {
                vErrors = [err19];
              } else {
                vErrors.push(err19);
              }
              errors++;
            }
          }
          if (data0.tags !== void 0) {
            let data10 = data0.tags;
            if (Array.isArray(data10)) {
              const len3 = data10.length;
              for (let i5 = 0; i5 < len3; i5++) {
                let data11 = data10[i5];
                if (typeof data11 === "string") {
                  if (!pattern2.test(data11)) {
                    const err20 = { instancePath: instancePath + "/" + i0 + "/tags/" + i5, schemaPath: "#/definitions/image/properties/tags/items/pattern", keyword: "pattern", params: { pattern: "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$" }, message: 'must match pattern "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$"' };
                    if (vErrors === null) {
                      vErrors = [err20];
                    } else {
                      vErrors.push(err20);
                    }
                    errors++;
                  }
                } else {
                  const err21 = { instancePath: instancePath + "/" + i0 + "/tags/" + i5, schemaPath: "#/definitions/image/properties/tags/items/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                  if (vErrors === null) {
                    vErrors = [err21];
                  } else {
                    vErrors.push(err21);
                  }
                  errors++;
                }
              }
              let i6 = data10.length;
              let j2;
              if (i6 > 1) {
                const indices1 = {};
                for (; i6--; ) {
                  let item1 = data10[i6];
                  if (typeof item1 !== "string") {
                    continue;
                  }
                  if (typeof indices1[item1] == "number") {
                    j2 = indices1[item1];
                    const err22 = { instancePath: instancePath + "/" + i0 + "/tags", schemaPath: "#/definitions/image/properties/tags/uniqueItems", keyword: "uniqueItems", params: { i: i6, j: j2 }, message: "must NOT have duplicate items (items ## " + j2 + " and " + i6 + " are identical)" };
                    if (vErrors === null) {
                      vErrors = [err22];
                    } else {
                      vErrors.push(err22);
                    }
                    errors++;
                    break;
                  }
                  indices1[item1] = i6;
                }
              }
            } else {
              const err23 = { instancePath: instancePath + "/" + i0 + "/tags", schemaPath: "#/definitions/image/properties/tags/type", keyword: "type", params: { type: "array" }, message: "must be array" };
              if (vErrors === null) {
                vErrors = [err23];
              } else {
                vErrors.push(err23);
              }
              errors++;
            }
          }
          if (data0.alternates !== void 0) {
            let data12 = data0.alternates;
            if (Array.isArray(data12)) {
              const len4 = data12.length;
              for (let i7 = 0; i7 < len4; i7++) {
                let data13 = data12[i7];
                if (typeof data13 === "string") {
                  if (func3(data13) < 1) {
                    const err24 = { instancePath: instancePath + "/" + i0 + "/alternates/" + i7, schemaPath: "#/definitions/image/properties/alternates/items/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters" };
                    if (vErrors === null) {
                      vErrors = [err24];
                    } else {
                      vErrors.push(err24);
                    }
                    errors++;
                  }
                } else {
                  const err25 = { instancePath: instancePath + "/" + i0 + "/alternates/" + i7, schemaPath: "#/definitions/image/properties/alternates/items/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                  if (vErrors === null) {
                    vErrors = [err25];
                  } else {
                    vErrors.push(err25);
                  }
                  errors++;
                }
              }
              let i8 = data12.length;
              let j3;
              if (i8 > 1) {
                const indices2 = {};
                for (; i8--; ) {
                  let item2 = data12[i8];
                  if (typeof item2 !== "string") {
                    continue;
                  }
                  if (typeof indices2[item2] == "number") {
                    j3 = indices2[item2];
                    const err26 = { instancePath: instancePath + "/" + i0 + "/alternates", schemaPath: "#/definitions/image/properties/alternates/uniqueItems", keyword: "uniqueItems", params: { i: i8, j: j3 }, message: "must NOT have duplicate items (items ## " + j3 + " and " + i8 + " are identical)" };
                    if (vErrors === null) {
                      vErrors = [err26];
                    } else {
                      vErrors.push(err26);
                    }
                    errors++;
                    break;
                  }
                  indices2[item2] = i8;
                }
              }
            } else {
              const err27 = { instancePath: instancePath + "/" + i0 + "/alternates", schemaPath: "#/definitions/image/properties/alternates/type", keyword: "type", params: { type: "array" }, message: "must be array" };
              if (vErrors === null) {
                vErrors = [err27];
              } else {
                vErrors.push(err27);
              }
              errors++;
            }
          }
          if (data0.manifests !== void 0) {
            if (typeof data0.manifests !== "boolean") {
              const err28 = { instancePath: instancePath + "/" + i0 + "/manifests", schemaPath: "#/definitions/image/properties/manifests/type", keyword: "type", params: { type: "boolean" }, message: "must be boolean" };
              if (vErrors === null) {
                vErrors = [err28];
              } else {
                vErrors.push(err28);
              }
              errors++;
            }
          }
          if (data0.initialMajor !== void 0) {
            let data15 = data0.initialMajor;
            if (Array.isArray(data15)) {
              const len5 = data15.length;
              for (let i9 = 0; i9 < len5; i9++) {
                if (typeof data15[i9] !== "string") {
                  const err29 = { instancePath: instancePath + "/" + i0 + "/initialMajor/" + i9, schemaPath: "#/definitions/image/properties/initialMajor/items/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                  if (vErrors === null) {
                    vErrors = [err29];
                  } else {
                    vErrors.push(err29);
                  }
                  errors++;
                }
              }
            } else {
              const err30 = { instancePath: instancePath + "/" + i0 + "/initialMajor", schemaPath: "#/definitions/image/properties/initialMajor/type", keyword: "type", params: { type: "array" }, message: "must be array" };
              if (vErrors === null) {
                vErrors = [err30];
              } else {
                vErrors.push(err30);
              }
              errors++;
            }
          }
          if (data0.initialMajorMinor !== void 0) {
            let data17 = data0.initialMajorMinor;
            if (Array.isArray(data17)) {
              const len6 = data17.length;
              for (let i10 = 0; i10 < len6; i10++) {
                if (typeof data17[i10] !== "string") {
                  const err31 = { instancePath: instancePath + "/" + i0 + "/initialMajorMinor/" + i10, schemaPath: "#/definitions/image/properties/initialMajorMinor/items/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                  if (vErrors === null) {
                    vErrors = [err31];
                  } else {
                    vErrors.push(err31);
                  }
                  errors++;
                }
              }
            } else {
              const err32 = { instancePath: instancePath + "/" + i0 + "/initialMajorMinor", schemaPath: "#/definitions/image/properties/initialMajorMinor/type", keyword: "type", params: { type: "array" }, message: "must be array" };
              if (vErrors === null) {
                vErrors = [err32];
              } else {
                vErrors.push(err32);
              }
              errors++;
            }
          }
          if (data0.initialMajorMinorPatch !== void 0) {
            let data19 = data0.initialMajorMinorPatch;
            if (Array.isArray(data19)) {
              const len7 = data19.length;
              for (let i11 = 0; i11 < len7; i11++) {
                if (typeof data19[i11] !== "string") {
                  const err33 = { instancePath: instancePath + "/" + i0 + "/initialMajorMinorPatch/" + i11, schemaPath: "#/definitions/image/properties/initialMajorMinorPatch/items/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                  if (vErrors === null) {
                    vErrors = [err33];
                  } else {
                    vErrors.push(err33);
                  }
                  errors++;
                }
              }
            } else {
              const err34 = { instancePath: instancePath + "/" + i0 + "/initialMajorMinorPatch", schemaPath: "#/definitions/image/properties/initialMajorMinorPatch/type", keyword: "type", params: { type: "array" }, message: "must be array" };
              if (vErrors === null) {
                vErrors = [err34];
              } else {
                vErrors.push(err34);
              }
              errors++;
            }
          }
        } else {
          const err35 = { instancePath: instancePath + "/" + i0, schemaPath: "#/definitions/image/type", keyword: "type", params: { type: "object" }, message: "must be object" };
          if (vErrors === null) {
            vErrors = [err35];
          } else {
            vErrors.push(err35);
          }
          errors++;
        }
      }
    } else {
      const err36 = { instancePath, schemaPath: "#/then/type", keyword: "type", params: { type: "array" }, message: "must be array" };
      if (vErrors === null) {
        vErrors = [err36];
      } else {
        vErrors.push(err36);
      }
      errors++;
    }
    var _valid0 = _errs3 === errors;
    valid0 = _valid0;
    ifClause0 = "then";
  } else {
    const _errs48 = errors;
    if (data && typeof data == "object" && !Array.isArray(data)) {
      if (data.images === void 0) {
        const err37 = { instancePath, schemaPath: "#/else/required", keyword: "required", params: { missingProperty: "images" }, message: "must have required property 'images'" };
        if (vErrors === null) {
          vErrors = [err37];
        } else {
          vErrors.push(err37);
        }
        errors++;
      }
      for (const key1 in data) {
        if (!(key1 === "$schema" || key1 === "images")) {
          const err38 = { instancePath, schemaPath: "#/else/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key1 }, message: "must NOT have additional properties" };
          if (vErrors === null) {
            vErrors = [err38];
          } else {
            vErrors.push(err38);
          }
          errors++;
        }
      }
      if (data.$schema !== void 0) {
        if (typeof data.$schema !== "string") {
          const err39 = { instancePath: instancePath + "/$schema", schemaPath: "#/else/properties/%24schema/type", keyword: "type", params: { type: "string" }, message: "must be string" };
          if (vErrors === null) {
            vErrors = [err39];
          } else {
            vErrors.push(err39);
          }
          errors++;
        }
      }
      if (data.images !== void 0) {
        let data22 = data.images;
        if (Array.isArray(data22)) {
          const len8 = data22.length;
          for (let i12 = 0; i12 < len8; i12++) {
            let data23 = data22[i12];
            if (data23 && typeof data23 == "object" && !Array.isArray(data23)) {
              if (data23.image === void 0) {
                const err40 = { instancePath: instancePath + "/images/" + i12, schemaPath: "#/definitions/image/required", keyword: "required", params: { missingProperty: "image" }, message: "must have required property 'image'" };
                if (vErrors === null) {
                  vErrors = [err40];
                } else {
                  vErrors.push(err40);
                }
                errors++;
              }
              for (const key2 in data23) {
                if (!func2.call(schema12.properties, key2)) {
                  const err41 = { instancePath: instancePath + "/images/" + i12, schemaPath: "#/definitions/image/additionalProperties", keyword: "additionalProperties", params: { additionalProperty: key2 }, message: "must NOT have additional properties" };
                  if (vErrors === null) {
                    vErrors = [err41];
                  } else {
                    vErrors.push(err41);
                  }
                  errors++;
                }
              }
              if (data23.image !== void 0) {
                let data24 = data23.image;
                if (typeof data24 === "string") {
                  if (func3(data24) < 1) {
                    const err42 = { instancePath: instancePath + "/images/" + i12 + "/image", schemaPath: "#/definitions/image/properties/image/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters" };
                    if (vErrors === null) {
                      vErrors = [err42];
                    } else {
                      vErrors.push(err42);
                    }
                    errors++;
                  }
                } else {
                  const err43 = { instancePath: instancePath + "/images/" + i12 + "/image", schemaPath: "#/definitions/image/properties/image/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                  if (vErrors === null) {
                    vErrors = [err43];
                  } else {
                    vErrors.push(err43);
                  }
                  errors++;
                }
              }
              if (data23.platforms !== void 0) {
                let data25 = data23.platforms;
                if (Array.isArray(data25)) {
                  if (data25.length < 1) {
                    const err44 = { instancePath: instancePath + "/images/" + i12 + "/platforms", schemaPath: "#/definitions/image/properties/platforms/minItems", keyword: "minItems", params: { limit: 1 }, message: "must NOT have fewer than 1 items" };
                    if (vErrors === null) {
                      vErrors = [err44];
                    } else {
                      vErrors.push(err44);
                    }
                    errors++;
                  }
                  const len9 = data25.length;
                  for (let i13 = 0; i13 < len9; i13++) {
                    let data26 = data25[i13];
                    if (typeof data26 === "string") {
                      if (!pattern0.test(data26)) {
                        const err45 = { instancePath: instancePath + "/images/" + i12 + "/platforms/" + i13, schemaPath: "#/definitions/image/properties/platforms/items/pattern", keyword: "pattern", params: { pattern: "^[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?$" }, message: 'must match pattern "^[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?$"' };
                        if (vErrors === null) {
                          vErrors = [err45];
                        } else {
                          vErrors.push(err45);
                        }
                        errors++;
                      }
                    } else {
                      const err46 = { instancePath: instancePath + "/images/" + i12 + "/platforms/" + i13, schemaPath: "#/definitions/image/properties/platforms/items/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                      if (vErrors === null) {
                        vErrors = [err46];
                      } else {
                        vErrors.push(err46);
                      }
                      errors++;
                    }
                  }
                  let i14 = data25.length;
                  let j4;
                  if (i14 > 1) {
                    const indices3 = {};
                    for (; i14--; ) {
                      let item3 = data25[i14];
                      if (typeof item3 !== "string") {
                        continue;
                      }
                      if (typeof indices3[item3] == "number") {
                        j4 = indices3[item3];
                        const err47 = { instancePath: instancePath + "/images/" + i12 + "/platforms", schemaPath: "#/definitions/image/properties/platforms/uniqueItems", keyword: "uniqueItems", params: { i: i14, j: j4 }, message: "must NOT have duplicate items (items ## " + j4 + " and " + i14 + " are identical)" };
                        if (vErrors === null) {
                          vErrors = [err47];
                        } else {
                          vErrors.push(err47);
                        }
                        errors++;
                        break;
                      }
                      indices3[item3] = i14;
                    }
                  }
                } else {
                  const err48 = { instancePath: instancePath + "/images/" + i12 + "/platforms", schemaPath: "#/definitions/image/properties/platforms/type", keyword: "type", params: { type: "array" }, message: "must be array" };
                  if (vErrors === null) {
                    vErrors = [err48];
                  } else {
                    vErrors.push(err48);
                  }
                  errors++;
                }
              }
              if (data23.tracks !== void 0) {
                let data27 = data23.tracks;
                if (Array.isArray(data27)) {
                  const len10 = data27.length;
                  for (let i15 = 0; i15 < len10; i15++) {
                    let data28 = data27[i15];
                    if (!(data28 === "major" || data28 === "major-minor" || data28 === "major-minor-patch")) {
                      const err49 = { instancePath: instancePath + "/images/" + i12 + "/tracks/" + i15, schemaPath: "#/definitions/image/properties/tracks/items/enum", keyword: "enum", params: { allowedValues: schema12.properties.tracks.items.enum }, message: "must be equal to one of the allowed values" };
                      if (vErrors === null) {
                        vErrors = [err49];
                      } else {
                        vErrors.push(err49);
                      }
                      errors++;
                    }
                  }
                  let i16 = data27.length;
                  let j5;
                  if (i16 > 1) {
                    outer1: for (; i16--; ) {
                      for (j5 = i16; j5--; ) {
                        if (func0(data27[i16], data27[j5])) {
                          const err50 = { instancePath: instancePath + "/images/" + i12 + "/tracks", schemaPath: "#/definitions/image/properties/tracks/uniqueItems", keyword: "uniqueItems", params: { i: i16, j: j5 }, message: "must NOT have duplicate items (items ## " + j5 + " and " + i16 + " are identical)" };
                          if (vErrors === null) {
                            vErrors = [err50];
                          } else {
                            vErrors.push(err50);
                          }
                          errors++;
                          break outer1;
                        }
                      }
                    }
                  }
                } else {
                  const err51 = { instancePath: instancePath + "/images/" + i12 + "/tracks", schemaPath: "#/definitions/image/properties/tracks/type", keyword: "type", params: { type: "array" }, message: "must be array" };
                  if (vErrors === null) {
                    vErrors = [err51];
                  } else {
                    vErrors.push(err51);
                  }
                  errors++;
                }
              }
              if (data23.tagPattern !== void 0) {
                let data29 = data23.tagPattern;
                if (typeof data29 === "string") {
                  if (func3(data29) < 1) {
                    const err52 = { instancePath: instancePath + "/images/" + i12 + "/tagPattern", schemaPath: "#/definitions/image/properties/tagPattern/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters" };
                    if (vErrors === null) {
                      vErrors = [err52];
                    } else {
                      vErrors.push(err52);
                    }
                    errors++;
                  }
                } else {
                  const err53 = { instancePath: instancePath + "/images/" + i12 + "/tagPattern", schemaPath: "#/definitions/image/properties/tagPattern/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                  if (vErrors === null) {
                    vErrors = [err53];
                  } else {
                    vErrors.push(err53);
                  }
                  errors++;
                }
              }
              if (data23.minVersion !== void 0) {
                let data30 = data23.minVersion;
                if (typeof data30 === "string") {
                  if (!pattern1.test(data30)) {
                    const err54 = { instancePath: instancePath + "/images/" + i12 + "/minVersion", schemaPath: "#/definitions/image/properties/minVersion/pattern", keyword: "pattern", params: { pattern: "^v?[0-9]+(\\.[0-9]+)*$" }, message: 'must match pattern "^v?[0-9]+(\\.[0-9]+)*$"' };
                    if (vErrors === null) {
                      vErrors = [err54];
                    } else {
                      vErrors.push(err54);
                    }
                    errors++;
                  }
                } else {
                  const err55 = { instancePath: instancePath + "/images/" + i12 + "/minVersion", schemaPath: "#/definitions/image/properties/minVersion/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                  if (vErrors === null) {
                    vErrors = [err55];
                  } else {
                    vErrors.push(err55);
                  }
                  errors++;
                }
              }
              if (data23.allowedVersions !== void 0) {
                let data31 = data23.allowedVersions;
                if (typeof data31 === "string") {
                  if (func3(data31) < 1) {
                    const err56 = { instancePath: instancePath + "/images/" + i12 + "/allowedVersions", schemaPath: "#/definitions/image/properties/allowedVersions/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters" };
                    if (vErrors === null) {
                      vErrors = [err56];
                    } else {
                      vErrors.push(err56);
                    }
                    errors++;
                  }
                } else {
                  const err57 = { instancePath: instancePath + "/images/" + i12 + "/allowedVersions", schemaPath: "#/definitions/image/properties/allowedVersions/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                  if (vErrors === null) {
                    vErrors = [err57];
                  } else {
                    vErrors.push(err57);
                  }
                  errors++;
                }
              }
              if (data23.minimumReleaseAge !== void 0) {
                if (typeof data23.minimumReleaseAge !== "string") {
                  const err58 = { instancePath: instancePath + "/images/" + i12 + "/minimumReleaseAge", schemaPath: "#/definitions/image/properties/minimumReleaseAge/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                  if (vErrors === null) {
                    vErrors = [err58];
                  } else {
                    vErrors.push(err58);
                  }
                  errors++;
                }
              }
              if (data23.tags !== void 0) {
                let data33 = data23.tags;
                if (Array.isArray(data33)) {
                  const len11 = data33.length;
                  for (let i17 = 0; i17 < len11; i17++) {
                    let data34 = data33[i17];
                    if (typeof data34 === "string") {
                      if (!pattern2.test(data34)) {
                        const err59 = { instancePath: instancePath + "/images/" + i12 + "/tags/" + i17, schemaPath: "#/definitions/image/properties/tags/items/pattern", keyword: "pattern", params: { pattern: "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$" }, message: 'must match pattern "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$"' };
                        if (vErrors === null) {
                          vErrors = [err59];
                        } else {
                          vErrors.push(err59);
                        }
                        errors++;
                      }
                    } else {
                      const err60 = { instancePath: instancePath + "/images/" + i12 + "/tags/" + i17, schemaPath: "#/definitions/image/properties/tags/items/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                      if (vErrors === null) {
                        vErrors = [err60];
                      } else {
                        vErrors.push(err60);
                      }
                      errors++;
                    }
                  }
                  let i18 = data33.length;
                  let j6;
                  if (i18 > 1) {
                    const indices4 = {};
                    for (; i18--; ) {
                      let item4 = data33[i18];
                      if (typeof item4 !== "string") {
                        continue;
                      }
                      if (typeof indices4[item4] == "number") {
                        j6 = indices4[item4];
                        const err61 = { instancePath: instancePath + "/images/" + i12 + "/tags", schemaPath: "#/definitions/image/properties/tags/uniqueItems", keyword: "uniqueItems", params: { i: i18, j: j6 }, message: "must NOT have duplicate items (items ## " + j6 + " and " + i18 + " are identical)" };
                        if (vErrors === null) {
                          vErrors = [err61];
                        } else {
                          vErrors.push(err61);
                        }
                        errors++;
                        break;
                      }
                      indices4[item4] = i18;
                    }
                  }
                } else {
                  const err62 = { instancePath: instancePath + "/images/" + i12 + "/tags", schemaPath: "#/definitions/image/properties/tags/type", keyword: "type", params: { type: "array" }, message: "must be array" };
                  if (vErrors === null) {
                    vErrors = [err62];
                  } else {
                    vErrors.push(err62);
                  }
                  errors++;
                }
              }
              if (data23.alternates !== void 0) {
                let data35 = data23.alternates;
                if (Array.isArray(data35)) {
                  const len12 = data35.length;
                  for (let i19 = 0; i19 < len12; i19++) {
                    let data36 = data35[i19];
                    if (typeof data36 === "string") {
                      if (func3(data36) < 1) {
                        const err63 = { instancePath: instancePath + "/images/" + i12 + "/alternates/" + i19, schemaPath: "#/definitions/image/properties/alternates/items/minLength", keyword: "minLength", params: { limit: 1 }, message: "must NOT have fewer than 1 characters" };
                        if (vErrors === null) {
                          vErrors = [err63];
                        } else {
                          vErrors.push(err63);
                        }
                        errors++;
                      }
                    } else {
                      const err64 = { instancePath: instancePath + "/images/" + i12 + "/alternates/" + i19, schemaPath: "#/definitions/image/properties/alternates/items/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                      if (vErrors === null) {
                        vErrors = [err64];
                      } else {
                        vErrors.push(err64);
                      }
                      errors++;
                    }
                  }
                  let i20 = data35.length;
                  let j7;
                  if (i20 > 1) {
                    const indices5 = {};
                    for (; i20--; ) {
                      let item5 = data35[i20];
                      if (typeof item5 !== "string") {
                        continue;
                      }
                      if (typeof indices5[item5] == "number") {
                        j7 = indices5[item5];
                        const err65 = { instancePath: instancePath + "/images/" + i12 + "/alternates", schemaPath: "#/definitions/image/properties/alternates/uniqueItems", keyword: "uniqueItems", params: { i: i20, j: j7 }, message: "must NOT have duplicate items (items ## " + j7 + " and " + i20 + " are identical)" };
                        if (vErrors === null) {
                          vErrors = [err65];
                        } else {
                          vErrors.push(err65);
                        }
                        errors++;
                        break;
                      }
                      indices5[item5] = i20;
                    }
                  }
                } else {
                  const err66 = { instancePath: instancePath + "/images/" + i12 + "/alternates", schemaPath: "#/definitions/image/properties/alternates/type", keyword: "type", params: { type: "array" }, message: "must be array" };
                  if (vErrors === null) {
                    vErrors = [err66];
                  } else {
                    vErrors.push(err66);
                  }
                  errors++;
                }
              }
              if (data23.manifests !== void 0) {
                if (typeof data23.manifests !== "boolean") {
                  const err67 = { instancePath: instancePath + "/images/" + i12 + "/manifests", schemaPath: "#/definitions/image/properties/manifests/type", keyword: "type", params: { type: "boolean" }, message: "must be boolean" };
                  if (vErrors === null) {
                    vErrors = [err67];
                  } else {
                    vErrors.push(err67);
                  }
                  errors++;
                }
              }
              if (data23.initialMajor !== void 0) {
                let data38 = data23.initialMajor;
                if (Array.isArray(data38)) {
                  const len13 = data38.length;
                  for (let i21 = 0; i21 < len13; i21++) {
                    if (typeof data38[i21] !== "string") {
                      const err68 = { instancePath: instancePath + "/images/" + i12 + "/initialMajor/" + i21, schemaPath: "#/definitions/image/properties/initialMajor/items/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                      if (vErrors === null) {
                        vErrors = [err68];
                      } else {
                        vErrors.push(err68);
                      }
                      errors++;
                    }
                  }
                } else {
                  const err69 = { instancePath: instancePath + "/images/" + i12 + "/initialMajor", schemaPath: "#/definitions/image/properties/initialMajor/type", keyword: "type", params: { type: "array" }, message: "must be array" };
                  if (vErrors === null) {
                    vErrors = [err69];
                  } else {
                    vErrors.push(err69);
                  }
                  errors++;
                }
              }
              if (data23.initialMajorMinor !== void 0) {
                let data40 = data23.initialMajorMinor;
                if (Array.isArray(data40)) {
                  const len14 = data40.length;
                  for (let i22 = 0; i22 < len14; i22++) {
                    if (typeof data40[i22] !== "string") {
                      const err70 = { instancePath: instancePath + "/images/" + i12 + "/initialMajorMinor/" + i22, schemaPath: "#/definitions/image/properties/initialMajorMinor/items/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                      if (vErrors === null) {
                        vErrors = [err70];
                      } else {
                        vErrors.push(err70);
                      }
                      errors++;
                    }
                  }
                } else {
                  const err71 = { instancePath: instancePath + "/images/" + i12 + "/initialMajorMinor", schemaPath: "#/definitions/image/properties/initialMajorMinor/type", keyword: "type", params: { type: "array" }, message: "must be array" };
                  if (vErrors === null) {
                    vErrors = [err71];
                  } else {
                    vErrors.push(err71);
                  }
                  errors++;
                }
              }
              if (data23.initialMajorMinorPatch !== void 0) {
                let data42 = data23.initialMajorMinorPatch;
                if (Array.isArray(data42)) {
                  const len15 = data42.length;
                  for (let i23 = 0; i23 < len15; i23++) {
                    if (typeof data42[i23] !== "string") {
                      const err72 = { instancePath: instancePath + "/images/" + i12 + "/initialMajorMinorPatch/" + i23, schemaPath: "#/definitions/image/properties/initialMajorMinorPatch/items/type", keyword: "type", params: { type: "string" }, message: "must be string" };
                      if (vErrors === null) {
                        vErrors = [err72];
                      } else {
                        vErrors.push(err72);
                      }
                      errors++;
                    }
                  }
                } else {
                  const err73 = { instancePath: instancePath + "/images/" + i12 + "/initialMajorMinorPatch", schemaPath: "#/definitions/image/properties/initialMajorMinorPatch/type", keyword: "type", params: { type: "array" }, message: "must be array" };
                  if (vErrors === null) {
                    vErrors = [err73];
                  } else {
                    vErrors.push(err73);
                  }
                  errors++;
                }
              }
            } else {
              const err74 = { instancePath: instancePath + "/images/" + i12, schemaPath: "#/definitions/image/type", keyword: "type", params: { type: "object" }, message: "must be object" };
              if (vErrors === null) {
                vErrors = [err74];
              } else {
                vErrors.push(err74);
              }
              errors++;
            }
          }
        } else {
          const err75 = { instancePath: instancePath + "/images", schemaPath: "#/else/properties/images/type", keyword: "type", params: { type: "array" }, message: "must be array" };
          if (vErrors === null) {
            vErrors = [err75];
          } else {
            vErrors.push(err75);
          }
          errors++;
        }
      }
    } else {
      const err76 = { instancePath, schemaPath: "#/else/type", keyword: "type", params: { type: "object" }, message: "must be object" };
      if (vErrors === null) {
        vErrors = [err76];
      } else {
        vErrors.push(err76);
      }
      errors++;
    }
    var _valid0 = _errs48 === errors;
    valid0 = _valid0;
    ifClause0 = "else";
  }
  if (!valid0) {
    const err77 = { instancePath, schemaPath: "#/if", keyword: "if", params: { failingKeyword: ifClause0 }, message: 'must match "' + ifClause0 + '" schema' };
    if (vErrors === null) {
      vErrors = [err77];
    } else {
      vErrors.push(err77);
    }
    errors++;
  }
  validate102.errors = vErrors;
  return errors === 0;
});
var validate = validate10;

// on-demand:semver:default
var __module;
var __load = () => __module ??= require_semver2();
var semver_default_default = new Proxy(() => {
}, {
  get: (_, key) => __load()[key],
  apply: (_, self, args) => Reflect.apply(__load(), self, args)
});

// src/update/tracks/version-policy.ts
function parseRange(text) {
  try {
    return new semver_default_default.Range(text);
  } catch {
    return null;
  }
}
function semverOf(parts) {
  const [major, minor, patch] = parts;
  const number = (part) => typeof part === "number" ? part : 0;
  return `${number(major)}.${number(minor)}.${number(patch)}`;
}
function isAllowed(parts, range) {
  return range === void 0 || range.test(semverOf(parts));
}
var DATE_LIKE = 1e7;
var isCalendarYear = (major) => major >= 2e3 && major <= 2099;
function outlierMajors(majors) {
  const outliers = /* @__PURE__ */ new Set();
  let highestGenuine = 0;
  for (const major of [...new Set(majors)].sort((a, b) => a - b)) {
    const farAbove = major >= DATE_LIKE || major >= 1e3 && !isCalendarYear(major) && highestGenuine > 0 && major > 10 * highestGenuine;
    if (farAbove) outliers.add(major);
    else highestGenuine = major;
  }
  return outliers;
}
function holdBackOutliers(versions) {
  const majors = versions.map((version) => version.parts[0]);
  const outliers = outlierMajors(majors);
  const heldBack = {
    majors: [...outliers].sort((a, b) => b - a),
    tags: versions.filter((v) => outliers.has(v.parts[0])).map((v) => v.tag),
    others: [...new Set(majors)].filter((major) => !outliers.has(major)).sort((a, b) => a - b)
  };
  return { kept: versions.filter((v) => !outliers.has(v.parts[0])), heldBack };
}

// src/update/durations.ts
var UNITS = { d: 864e5, h: 36e5, m: 6e4, s: 1e3 };
var DURATION_PATTERN = "^([0-9]+[dhms])+$";
var MAXIMUM_DURATION_DAYS = 365;
var MAXIMUM_DURATION = MAXIMUM_DURATION_DAYS * UNITS["d"];
function parseDuration(text) {
  if (!isDurationSyntax(text)) return void 0;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/([0-9]+)([dhms])/g)) {
    total += Number(amount) * UNITS[unit];
  }
  return total <= MAXIMUM_DURATION ? total : void 0;
}
function isDurationSyntax(text) {
  return new RegExp(DURATION_PATTERN).test(text);
}
var NowError = class extends Error {
  name = "NowError";
};
function currentTime(env = process.env) {
  const fixed = env.NIX_OCI_HASHES_NOW;
  if (fixed === void 0 || fixed === "") return /* @__PURE__ */ new Date();
  const time = new Date(fixed);
  if (!/^\d{4}-\d{2}-\d{2}/.test(fixed) || Number.isNaN(time.getTime())) {
    throw new NowError(`NIX_OCI_HASHES_NOW: "${fixed}" is not an ISO 8601 time (rule: ISO 8601)`);
  }
  return time;
}

// src/update/tracks/versions.ts
var TRACK_KINDS = ["major", "major-minor", "major-minor-patch"];
var DEFAULT_TAG_PATTERN = String.raw`^v?(?<major>\d+)(?:\.(?<minor>\d+))?(?:\.(?<patch>\d+))?$`;
var DIGITS = /^\d+$/;
var POSITIONAL_GROUPS = /* @__PURE__ */ new Set(["major", "minor", "patch"]);
function isNumber(text) {
  return DIGITS.test(text) && Number.isSafeInteger(Number(text));
}
function toPart(text) {
  if (text === void 0 || text === "") return void 0;
  return isNumber(text) ? Number(text) : text;
}
function parseVersion(tag, pattern) {
  const captured = pattern.captures(tag);
  if (!captured) return null;
  const group = (name) => captured[pattern.names.indexOf(name)];
  const major = group("major");
  const minor = group("minor");
  const patch = group("patch");
  if (major === void 0 || !isNumber(major)) return null;
  if (minor !== void 0 && !isNumber(minor)) return null;
  if (patch !== void 0 && !isNumber(patch)) return null;
  const parts = [
    Number(major),
    toPart(minor),
    minor === void 0 ? void 0 : toPart(patch)
  ];
  pattern.names.forEach((name, index) => {
    if (!POSITIONAL_GROUPS.has(name)) parts.push(toPart(captured[index]));
  });
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

// src/update/tracks/tag-pattern.ts
var TagPatternError = class extends Error {
  constructor(message, rule) {
    super(message);
    this.rule = rule;
  }
  rule;
  name = "TagPatternError";
};
var engine;
async function tagPatternCompiler() {
  const re2 = await (engine ??= import("./build-HHJX7A33.js"));
  return (source) => compile(re2, source);
}
var UNSUPPORTED = [
  [/^\(\?<[=!]/, "lookbehind"],
  [/^\(\?[=!]/, "lookahead"],
  [/^\\([1-9]|k)/, "backreference"]
];
var MAX_PROGRAM_SIZE = 1e3;
function compile(re2, source) {
  let pattern;
  try {
    pattern = re2.RE2JS.compile(source);
  } catch (error) {
    if (!(error instanceof re2.RE2JSException)) throw error;
    const at = error instanceof re2.RE2JSSyntaxException ? error.input ?? "" : "";
    const construct = UNSUPPORTED.find(([shape]) => shape.test(at))?.[1];
    if (construct) {
      throw new TagPatternError(
        `a ${construct} (${JSON.stringify(at)}) cannot be matched in linear time; tag patterns use RE2 syntax, which has none`,
        "linear-time regular expression"
      );
    }
    throw new TagPatternError(`invalid regular expression: ${error.message}`, "regular expression");
  }
  if (pattern.programSize() > MAX_PROGRAM_SIZE) {
    throw new TagPatternError(
      `the pattern compiles to ${pattern.programSize()} instructions, more than ${MAX_PROGRAM_SIZE}`,
      "pattern size"
    );
  }
  const numbered = Object.entries(pattern.namedGroups()).sort(([, a], [, b]) => a - b);
  if (!numbered.some(([name]) => name === "major")) {
    throw new TagPatternError('the pattern must capture a named group "major"', "named group major");
  }
  const names = numbered.map(([name]) => name);
  const numbers = numbered.map(([, number]) => number);
  return {
    source,
    names,
    captures(tag) {
      if (!pattern.test(tag)) return null;
      const matcher = pattern.matcher(tag);
      if (!matcher.find()) return null;
      return numbers.map((number) => matcher.group(number) ?? void 0);
    }
  };
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
async function parseImagesConfig(text, file) {
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
  const compile2 = entries.length > 0 ? await tagPatternCompiler() : void 0;
  return entries.map((entry, index) => {
    const path = isArray ? `$[${index}]` : `$.images[${index}]`;
    const image = toImageConfig(entry, compile2, (field, rule, why) => {
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
function toImageConfig(entry, compile2, fail) {
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
    tagPattern = compile2(entry.tagPattern ?? DEFAULT_TAG_PATTERN);
  } catch (error) {
    if (error instanceof TagPatternError) fail("tagPattern", error.rule, error.message);
    throw error;
  }
  const legacy = mapLegacyFields(entry, tagPattern, fail);
  const minVersionText = entry.minVersion ?? legacy?.minVersion;
  const minVersion = minVersionText === void 0 ? void 0 : parseVersionNumbers(minVersionText);
  const tags = [
    ...entry.tags ?? [],
    ...(legacy?.tags ?? []).filter((tag) => !entry.tags?.includes(tag))
  ];
  const tracks = entry.tracks ?? legacy?.tracks ?? [...TRACK_KINDS];
  const config = {
    reference,
    platforms,
    tracks,
    tagPattern,
    tags,
    versionsExplicit: entry.tagPattern !== void 0 || entry.allowedVersions !== void 0,
    legacy: legacy !== null
  };
  if (minVersion) config.minVersion = minVersion;
  if (entry.manifests === false) config.manifests = false;
  if (entry.alternates?.length)
    config.alternates = parseAlternates(entry.alternates, reference, fail);
  if (entry.allowedVersions !== void 0) {
    const range = parseRange(entry.allowedVersions);
    if (!range) {
      fail(
        "allowedVersions",
        "semver range",
        `"${entry.allowedVersions}" is not a version range in semver's syntax ("16.x", ">=30 <33", "^1.2")`
      );
    }
    config.allowedVersions = range;
  }
  if (entry.minimumReleaseAge !== void 0) {
    const age = parseDuration(entry.minimumReleaseAge);
    if (age === void 0) {
      fail(
        "minimumReleaseAge",
        "duration",
        isDurationSyntax(entry.minimumReleaseAge) ? `"${entry.minimumReleaseAge}" is longer than the maximum of ${MAXIMUM_DURATION_DAYS} days` : `"${entry.minimumReleaseAge}" is not a duration such as "3d", "12h", "30m" or "1d12h"`
      );
    }
    config.minimumReleaseAge = age;
  }
  return config;
}
function parseAlternates(written, image, fail) {
  return written.map((text, index) => {
    let alternate;
    try {
      alternate = parseImageReference(text);
    } catch (error) {
      if (error instanceof ImageReferenceError)
        fail(`alternates[${index}]`, "image reference", error.message);
      throw error;
    }
    if (alternate.registry === image.registry && alternate.repository === image.repository) {
      fail(`alternates[${index}]`, "not the image itself", `"${text}" is the image itself`);
    }
    return alternate;
  });
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
var DocumentError = class extends Error {
  name = "DocumentError";
};
function defaultStatePath(digestsPath) {
  const name = basename(digestsPath).replace(/\.json$/, "");
  return join(dirname(digestsPath), `${name}.state.json`);
}
async function readTextIfPresent(path) {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if (error.code === "ENOENT") return void 0;
    throw new DocumentError(`${path}: cannot read: ${error.message}`);
  }
}
function parseJson(text, path) {
  try {
    return parseJsonData(text);
  } catch (error) {
    throw new DocumentError(`${path}: invalid JSON: ${error.message}`);
  }
}
function checkNested(value, depth, path, file, rule) {
  if (depth === 0) {
    if (typeof value !== "string")
      throw new DocumentError(`${file}: ${path}: must be a string (rule: ${rule})`);
    return;
  }
  if (!isJsonObject(value))
    throw new DocumentError(`${file}: ${path}: must be an object (rule: ${rule})`);
  for (const [key, child] of Object.entries(value))
    checkNested(child, depth - 1, `${path}[${JSON.stringify(key)}]`, file, rule);
}
function parseDigests(text, path) {
  if (text === void 0) return dictionary();
  const document = parseJson(text, path);
  const violation = grammarViolation(document);
  if (violation) throw new DocumentError(`${path}: ${violation}`);
  return document;
}
function parseState(text, path) {
  if (text === void 0) return { version: 1, images: dictionary() };
  const document = parseJson(text, path);
  if (!isJsonObject(document) || document.version !== 1) {
    throw new DocumentError(`${path}: $.version: must be 1 (rule: state file version)`);
  }
  checkNested(document.images, 3, "$.images", path, "image \u2192 digest \u2192 platform \u2192 digest");
  if (document.releases !== void 0)
    checkNested(document.releases, 3, "$.releases", path, "image \u2192 digest \u2192 field \u2192 text");
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
  if (isJsonObject(value)) {
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
function diffDigests(before, after) {
  const changes = [];
  const images = [.../* @__PURE__ */ new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const image of images) {
    const tracksBefore = own(before, image) ?? {};
    const tracksAfter = own(after, image) ?? {};
    const tracks = [.../* @__PURE__ */ new Set([...Object.keys(tracksBefore), ...Object.keys(tracksAfter)])].sort();
    for (const track of tracks) {
      const platformsBefore = own(tracksBefore, track) ?? {};
      const platformsAfter = own(tracksAfter, track) ?? {};
      const platforms = [
        .../* @__PURE__ */ new Set([...Object.keys(platformsBefore), ...Object.keys(platformsAfter)])
      ].sort();
      for (const platform of platforms) {
        const was = own(platformsBefore, platform);
        const now = own(platformsAfter, platform);
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

// src/update/selection-warnings.ts
var SHOWN = 5;
function list(items) {
  const shown = items.slice(0, SHOWN).join(", ");
  return items.length > SHOWN ? `${shown} and ${items.length - SHOWN} more` : shown;
}
function selectionWarnings(image, notes, aliases) {
  const lines = [];
  const { heldBack } = notes;
  if (heldBack.tags.length > 0) {
    const others = heldBack.others.length > 0 ? heldBack.others.join(", ") : "none";
    lines.push(
      `${image}: held back ${list(heldBack.tags)}: major ${list(heldBack.majors.map(String))} is far above the other majors (${others}), a date or build number read as a version; not published. Exclude such tags with tagPattern, or set allowedVersions to publish them`
    );
  }
  if (aliases.size > 0) {
    const renames = [...aliases].map(([alias, key]) => `${alias} \u2192 ${key}`);
    lines.push(
      `${image}: ${list(renames)} kept as ${aliases.size === 1 ? "alias" : "aliases"}; convert the entry to the new format to drop the aliases`
    );
  }
  return lines;
}

// src/update/tracks/legacy-aliases.ts
function aliasesUpstreamLists(image, tracks) {
  const aliases = /* @__PURE__ */ new Map();
  if (!image.legacy) return aliases;
  for (const track of tracks.values()) {
    const alias = `v${track.key}`;
    if (track.kind !== "tag" && !tracks.has(alias) && track.candidates.includes(alias)) {
      aliases.set(alias, track.key);
    }
  }
  return aliases;
}
function aliasesToPublish(entry, previous, upstream) {
  const aliases = /* @__PURE__ */ new Map();
  const candidates = [
    ...upstream,
    ...Object.keys(previous ?? {}).filter((key) => /^v\d/.test(key)).map((key) => [key, key.slice(1)])
  ];
  for (const [alias, key] of candidates.sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)) {
    if (own(entry, key) !== void 0 && own(entry, alias) === void 0) aliases.set(alias, key);
  }
  return aliases;
}

// src/update/tracks/keeping.ts
function isKeyStillWanted(key, image, genuineMajors = []) {
  if (image.tags.includes(key)) return true;
  const parsed = parseTrackKey(key);
  if (!parsed || !image.tracks.includes(parsed.kind)) return false;
  const major = parsed.numbers[0];
  if (!image.versionsExplicit && outlierMajors([...genuineMajors, major]).has(major)) return false;
  if (!isAllowed(parsed.numbers, image.allowedVersions)) return false;
  return !image.minVersion || compareParts(parsed.numbers, image.minVersion.slice(0, parsed.numbers.length)) >= 0;
}
function mergeImageEntry(previous, resolved, image, notes, deferred = []) {
  const entry = dictionary();
  const stale = [];
  const majors = [];
  for (const key of resolved.keys()) {
    const major = parseTrackKey(key)?.numbers[0];
    if (major !== void 0) majors.push(major);
  }
  for (const [key, references] of Object.entries(previous ?? {})) {
    if (!isKeyStillWanted(key, image, majors)) continue;
    const kept = dictionary(
      Object.entries(references).filter(([platform]) => image.platforms.includes(platform))
    );
    if (Object.keys(kept).length === 0) continue;
    const found = resolved.get(key);
    if (found) {
      if (Object.keys(kept).every((platform) => Object.hasOwn(found, platform))) continue;
      entry[key] = overlay(kept, found);
      stale.push(key);
      continue;
    }
    entry[key] = kept;
    if (!deferred.includes(key)) stale.push(key);
  }
  for (const [key, references] of resolved) {
    if (own(entry, key) || Object.keys(references).length === 0) continue;
    entry[key] = references;
  }
  const aliases = image.legacy ? aliasesToPublish(entry, previous, notes?.aliases ?? /* @__PURE__ */ new Map()) : /* @__PURE__ */ new Map();
  for (const [alias, key] of aliases) entry[alias] = entry[key];
  return { entry, stale, aliases };
}

// src/update/tracks/release-age.ts
function recordSightings(digests, previous, learned, now) {
  const records = dictionary();
  for (const digest of digests) {
    const before = own(previous, digest);
    records[digest] = {
      ...own(learned, digest),
      ...before,
      firstSeen: before?.firstSeen ?? now.toISOString()
    };
  }
  return records;
}
function readyAt(record, age, now) {
  const seen = record ? Date.parse(record.firstSeen) : now.getTime();
  const created = record?.created ? Date.parse(record.created) : Number.NaN;
  return Math.max(seen, Number.isNaN(created) ? seen : created) + age;
}
function youngTracks(tracks, sources, published, records, age, now) {
  const waiting = [];
  if (age <= 0) return waiting;
  for (const [key, references] of tracks) {
    if (sameReferences(own(published, key), references)) continue;
    const used = sources.get(key) ?? [];
    const until = Math.max(...used.map((source) => readyAt(own(records, source.digest), age, now)));
    if (used.length === 0 || until <= now.getTime()) continue;
    waiting.push({ track: key, tag: used[0].tag, until: new Date(until).toISOString() });
  }
  return waiting;
}
function sameReferences(a, b) {
  if (!a) return Object.keys(b).length === 0;
  const keys = Object.keys(b);
  return keys.every((platform) => own(a, platform) === own(b, platform));
}
function formatWaiting(entry) {
  return `${entry.image} ${entry.track}: ${entry.tag} waits for its minimum release age until ${entry.until}`;
}

// src/update/image-decision.ts
function decideImage(image, { result: outcome, learned }, before, now, defaultMinimumReleaseAge, log) {
  const name = image.reference.written;
  if (outcome.status === "rejected") {
    const message = outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason);
    const known = overlay(before.state, learned);
    return {
      failure: { image: name, message },
      ...before.entry ? { entry: before.entry } : {},
      ...Object.keys(known).length > 0 ? { state: known } : {},
      ...before.releases ? { releases: before.releases } : {},
      waiting: [],
      stale: [],
      warnings: []
    };
  }
  const { tracks, state, deferred, deferredReads, notes, sources, annotations } = outcome.value;
  const records = recordSightings(
    Object.keys(state),
    before.releases ?? dictionary(),
    annotations,
    now
  );
  const age = image.minimumReleaseAge ?? defaultMinimumReleaseAge ?? 0;
  const young = youngTracks(tracks, sources, before.entry, records, age, now);
  const waiting = [];
  for (const entry of young) {
    tracks.delete(entry.track);
    waiting.push({ image: name, ...entry });
  }
  const held = [...deferred, ...young.map((entry) => entry.track)];
  const merged = mergeImageEntry(before.entry, tracks, image, notes, held);
  const warnings = selectionWarnings(name, notes, merged.aliases);
  for (const line of warnings) log.warning(line);
  const stale = [];
  for (const track of merged.stale) {
    stale.push({ image: name, track });
    const why = tracks.has(track) ? "no tag of this track provides every platform it had any more" : "no tag of this track exists upstream any more";
    log.warning(`${name} ${track}: ${why}; kept its last value`);
  }
  log.info(`${name}: ${plural(tracks.size, "track")} resolved`);
  return {
    ...Object.keys(merged.entry).length > 0 ? { entry: merged.entry } : {},
    ...Object.keys(state).length > 0 ? { state } : {},
    ...Object.keys(records).length > 0 ? { releases: records } : {},
    waiting,
    stale,
    warnings,
    deferred: {
      image: name,
      registry: image.reference.registry,
      tracks: deferred,
      reads: deferredReads
    }
  };
}

// src/update/release-records.ts
var PREFIX = "org.opencontainers.image.";
var KEPT = ["created", "source", "version", "revision", "url"];
function releaseAnnotations(annotations) {
  if (!annotations) return void 0;
  const found = {};
  for (const key of KEPT) {
    const value = annotations[PREFIX + key];
    if (value && value.length <= 200) found[key] = value;
  }
  return Object.keys(found).length > 0 ? found : void 0;
}

// src/update/tracks/selection.ts
function selectTracks(image, upstreamTags) {
  const matching = upstreamTags.map((tag) => parseVersion(tag, image.tagPattern)).filter((version) => version !== null).filter((version) => !isBelowMinimum(version, image.minVersion)).filter((version) => isAllowed(version.parts, image.allowedVersions)).sort((a, b) => compareVersions(b, a));
  const { kept: versions, heldBack } = image.versionsExplicit ? { kept: matching, heldBack: { majors: [], tags: [], others: [] } } : holdBackOutliers(matching);
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
  return { tracks: [...tracks.values()], heldBack, aliases: aliasesUpstreamLists(image, tracks) };
}

// src/update/resolve-image.ts
async function prepareImage(client, image, previousState, pipelined = false) {
  const tags = await client.listTags(image.reference);
  const { tracks, heldBack, aliases } = selectTracks(image, tags);
  const heads = /* @__PURE__ */ new Map();
  await Promise.all(
    tracks.map(async (track) => {
      const tag = track.candidates[0];
      if (tag === void 0) return;
      try {
        const digest = (await client.headTag(image.reference, tag))?.digest ?? null;
        heads.set(tag, digest);
        if (pipelined && digest && !own(previousState, digest) && !hasPullQuota(client, image))
          client.manifest(image.reference, digest).catch(() => void 0);
      } catch (error) {
        if (!(error instanceof PullQuotaDeferral)) throw error;
      }
    })
  );
  return {
    image,
    tracks,
    previousState,
    learned: dictionary(),
    heads,
    notes: { heldBack, aliases }
  };
}
function requestFirstReads(client, order) {
  for (const { prepared, track } of order) {
    const tag = track.candidates[0];
    const digest = tag === void 0 ? void 0 : prepared.heads.get(tag);
    if (!digest || own(prepared.previousState, digest)) continue;
    client.manifest(prepared.image.reference, digest).catch(() => void 0);
  }
}
function hasPullQuota(client, image) {
  return client.budgets().get(image.reference.registry)?.spendable() !== void 0;
}
async function resolveImage(client, prepared) {
  const { image, previousState, learned } = prepared;
  const reference = image.reference;
  const state = dictionary();
  const deferredReads = /* @__PURE__ */ new Set();
  const platformsByTag = /* @__PURE__ */ new Map();
  const annotations = dictionary();
  const sources = /* @__PURE__ */ new Map();
  const platformsOf = (tag) => {
    let pending = platformsByTag.get(tag);
    if (!pending) {
      pending = (async () => {
        let digest;
        try {
          const head = await client.headTag(reference, tag);
          if (!head) return { platforms: {} };
          digest = head.digest;
          const known = own(state, digest) ?? own(learned, digest) ?? own(previousState, digest);
          const platforms = known ?? await readPlatforms(client, image, digest, annotations);
          state[digest] = platforms;
          learned[digest] = platforms;
          return { digest, platforms };
        } catch (error) {
          if (error instanceof PullQuotaDeferral) deferredReads.add(digest ?? `${tag}`);
          throw error;
        }
      })();
      platformsByTag.set(tag, pending);
    }
    return pending;
  };
  const deferred = [];
  const settled = await Promise.allSettled(
    prepared.tracks.map(async (track) => {
      const references = dictionary();
      const wanted = new Set(image.platforms);
      const used = [];
      for (const tag of track.candidates) {
        if (wanted.size === 0) break;
        let content;
        try {
          content = await platformsOf(tag);
        } catch (error) {
          if (!(error instanceof PullQuotaDeferral)) throw error;
          deferred.push(track.key);
          return void 0;
        }
        for (const platform of [...wanted]) {
          const digest = own(content.platforms, platform);
          if (digest === void 0) continue;
          references[platform] = `${reference.written}:${tag}@${digest}`;
          wanted.delete(platform);
          if (content.digest && !used.some((source) => source.tag === tag))
            used.push({ tag, digest: content.digest });
        }
      }
      sources.set(track.key, used);
      return [track.key, references];
    })
  );
  const failed = settled.find((outcome) => outcome.status === "rejected");
  if (failed) throw failed.reason;
  const resolved = settled.map((outcome) => outcome.value);
  const tracks = new Map(resolved.filter((entry) => entry !== void 0));
  const violation = grammarViolation(dictionary([[reference.written, dictionary(tracks)]]));
  if (violation) throw new DigestsGrammarError(`would write ${violation}`);
  const kept = deferred.length > 0 ? overlay(previousState, state) : state;
  return {
    tracks,
    state: kept,
    deferred: deferred.sort(),
    deferredReads,
    notes: prepared.notes,
    sources,
    annotations
  };
}
var DigestsGrammarError = class extends Error {
  name = "DigestsGrammarError";
};
async function readPlatforms(client, image, digest, annotations) {
  const manifest = await client.manifest(image.reference, digest);
  const found = releaseAnnotations(manifest.annotations);
  if (manifest.kind === "index") {
    if (found) annotations[digest] = found;
    return platformDigests(manifest);
  }
  const config = await client.blob(image.reference, manifest.config.digest);
  const labelled = found ?? releaseAnnotations(labelsOfConfig(config));
  if (labelled) annotations[digest] = labelled;
  const platform = platformOfConfig(config);
  return platform ? { [platform]: digest } : {};
}

// src/update/resolve-all.ts
async function resolveAll(client, images, previous, previousState, concurrency) {
  const slots = new Semaphore(concurrency);
  const preparing = prepareAll(client, images, previousState, slots, true);
  const prepared = Promise.allSettled(preparing);
  const firstReads = prepared.then((outcomes) => {
    const ready = outcomes.flatMap(
      (outcome) => outcome.status === "fulfilled" ? [outcome.value] : []
    );
    requestFirstReads(client, priorityOrder(ready, previous));
  });
  const resolved = await Promise.allSettled(
    preparing.map(async (preparation, index) => {
      const ready = await preparation;
      if (hasPullQuota(client, images[index])) await firstReads;
      return slots.run(() => resolveImage(client, ready));
    })
  );
  const before = await prepared;
  return resolved.map((result, index) => {
    const outcome = before[index];
    return { result, learned: outcome.status === "fulfilled" ? outcome.value.learned : {} };
  });
}
function prepareAll(client, images, previousState, slots, pipelined) {
  return images.map(async (image) => {
    const state = own(previousState.images, image.reference.written) ?? {};
    return slots.run(() => prepareImage(client, image, state, pipelined));
  });
}
function priorityOrder(ready, previous) {
  const all = ready.flatMap((prepared) => prepared.tracks.map((track) => ({ prepared, track })));
  const published = ({ prepared, track }) => own(own(previous, prepared.image.reference.written), track.key) !== void 0;
  return [...all.filter(published), ...all.filter((entry) => !published(entry))];
}

// src/update/client-options.ts
var DEFAULT_IMAGE_CONCURRENCY = Number.POSITIVE_INFINITY;
function clientOptions(options, images) {
  const alternates = Object.fromEntries(
    images.flatMap(
      (image) => image.alternates ? [[imageKey(image.reference), image.alternates]] : []
    )
  );
  return {
    ...commandRegistryOptions(options),
    ...Object.keys(alternates).length > 0 ? { alternates } : {}
  };
}

// src/update/deferrals.ts
function collectDeferrals(images, budgets) {
  const byRegistry = /* @__PURE__ */ new Map();
  for (const { image, registry, tracks, reads, manifestsFile } of images) {
    if (tracks.length === 0 && reads.size === 0) continue;
    let deferral = byRegistry.get(registry);
    if (!deferral) {
      const reason = budgets.get(registry)?.refusal() ?? "pull quota spent";
      deferral = { registry, manifests: 0, reason, tracks: [] };
      byRegistry.set(registry, deferral);
    }
    deferral.manifests += reads.size;
    if (manifestsFile) deferral.manifestsFile = (deferral.manifestsFile ?? 0) + manifestsFile;
    for (const track of tracks) deferral.tracks.push({ image, track });
  }
  return [...byRegistry.values()].sort((a, b) => a.registry.localeCompare(b.registry));
}
function formatDeferral(deferral) {
  const tracks = plural(deferral.tracks.length, "track keeps its", "tracks keep their");
  const forFile = deferral.manifestsFile ? ` (${deferral.manifestsFile} of them image manifests for manifests.json)` : "";
  return `${deferral.registry}: ${plural(deferral.manifests, "manifest")} deferred by its pull quota (${deferral.reason})${forFile}; ${tracks} published value (or stay absent if new); the next run continues`;
}

// src/update/release-notes.ts
function githubRepository(source) {
  const match = source?.match(
    /^(?:git\+)?https:\/\/github\.com\/([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/
  );
  return match ? `https://github.com/${match[1]}/${match[2]}` : void 0;
}
function isRevision(text) {
  return text !== void 0 && /^[0-9a-f]{7,40}$/.test(text);
}
function releaseLinks(tag, record, before) {
  const repository = githubRepository(record?.source);
  if (!repository) return record?.url?.startsWith("https://") ? { release: record.url } : {};
  const links = {
    release: `${repository}/releases/tag/${encodeURIComponent(record?.version ?? tag)}`
  };
  const old = before?.revision;
  if (isRevision(old) && isRevision(record?.revision) && old !== record.revision) {
    if (githubRepository(before?.source) === repository)
      links.compare = `${repository}/compare/${old}...${record.revision}`;
  }
  return links;
}
function recordOf(reference, state, records) {
  const digest = reference?.slice(reference.lastIndexOf("@") + 1);
  if (!digest || !records) return void 0;
  const direct = own(records, digest);
  if (direct) return direct;
  for (const [source, platforms] of Object.entries(state ?? {})) {
    const record = own(records, source);
    if (Object.values(platforms).includes(digest) && record) return record;
  }
  return void 0;
}
function withReleaseLinks(change, before, after) {
  if (!change.after) return change;
  const name = change.image;
  const record = recordOf(change.after, own(after.images, name), own(after.releases, name));
  if (!record) return change;
  const old = recordOf(change.before, own(before.images, name), own(before.releases, name)) ?? recordOf(change.before, own(after.images, name), own(after.releases, name));
  const tag = shortReference(change.after).split("@")[0];
  const links = releaseLinks(tag, record, old);
  return links.release || links.compare ? { ...change, links } : change;
}

// src/update/manifests-document.ts
var MANIFESTS_FILE_NAME = "manifests.json";
var SHA256_DIGEST = /^sha256:[0-9a-f]{64}$/;
function defaultManifestsPath(digestsPath) {
  return join2(dirname2(digestsPath), MANIFESTS_FILE_NAME);
}
function isPublishableDigest(digest) {
  return SHA256_DIGEST.test(digest);
}
var UnpublishableManifestError = class extends Error {
  name = "UnpublishableManifestError";
};
var strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
function publishedManifest(digest, document) {
  if (!isPublishableDigest(digest))
    throw new UnpublishableManifestError(`${digest} is not a sha256 digest`);
  const body = Buffer.from(document.body);
  if (digestOf(body) !== digest)
    throw new UnpublishableManifestError(`its bytes hash to ${digestOf(body)}, not ${digest}`);
  if (document.manifest.kind !== "image")
    throw new UnpublishableManifestError("it is an index, not a platform manifest");
  let text;
  try {
    text = strictUtf8.decode(body);
  } catch {
    throw new UnpublishableManifestError("its bytes are not UTF-8");
  }
  if (!Buffer.from(text, "utf8").equals(body) || JSON.parse(JSON.stringify(text)) !== text)
    throw new UnpublishableManifestError("its text does not round-trip through UTF-8 JSON");
  return { mediaType: mediaTypeOf(text, document.contentType), text };
}
function mediaTypeOf(text, contentType) {
  let declared;
  try {
    declared = JSON.parse(text).mediaType;
  } catch {
    throw new UnpublishableManifestError("its text is not JSON");
  }
  if (typeof declared === "string" && declared !== "") return declared;
  const sent = contentType?.split(";")[0]?.trim();
  if (sent && !isIndexMediaType(sent) && sent.startsWith("application/vnd.")) return sent;
  return "application/vnd.oci.image.manifest.v1+json";
}
function parseManifests(text, path) {
  if (text === void 0) return { manifests: {}, warnings: [] };
  const dropped = (where, rule, why) => `${path}: ${where}: ${why} (rule: ${rule}); dropped, to be read again from the registry`;
  let document;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return {
      manifests: {},
      warnings: [dropped("$", "JSON", `invalid JSON: ${error.message}`)]
    };
  }
  if (typeof document !== "object" || document === null || Array.isArray(document))
    return { manifests: {}, warnings: [dropped("$", "digest \u2192 manifest", "must be an object")] };
  const manifests = {};
  const warnings = [];
  for (const [digest, entry] of Object.entries(document)) {
    const where = `$[${JSON.stringify(digest)}]`;
    const problem = entryProblem(digest, entry);
    if (problem) warnings.push(dropped(where, problem.rule, problem.why));
    else {
      const { mediaType, text: text2 } = entry;
      manifests[digest] = { mediaType, text: text2 };
    }
  }
  if (warnings.length > MAX_NAMED_DROPS) {
    const more = warnings.length - MAX_NAMED_DROPS;
    warnings.splice(MAX_NAMED_DROPS, more, `${path}: ${more} more entries dropped the same way`);
  }
  return { manifests, warnings };
}
var MAX_NAMED_DROPS = 10;
function entryProblem(digest, entry) {
  if (!isPublishableDigest(digest))
    return { rule: "sha256 digest key", why: "the key is not sha256:<64 hex>" };
  const { mediaType, text } = entry ?? {};
  if (typeof mediaType !== "string" || typeof text !== "string")
    return { rule: "mediaType and text", why: "must be an object with string mediaType and text" };
  const actual = digestOf(Buffer.from(text, "utf8"));
  if (actual !== digest)
    return { rule: "text hashes to its key", why: `the text hashes to ${actual}` };
  return void 0;
}
function renderManifests(manifests) {
  return renderDocument(manifests);
}

// src/update/manifest-publishing.ts
function wantedManifests(images, digests, failed = /* @__PURE__ */ new Set()) {
  const wanted = /* @__PURE__ */ new Map();
  for (const image of images) {
    if (image.manifests === false) continue;
    const healthy = !failed.has(image.reference.written);
    for (const platforms of Object.values(digests[image.reference.written] ?? {}))
      for (const reference of Object.values(platforms)) {
        const digest = reference.slice(reference.lastIndexOf("@") + 1);
        if (!isPublishableDigest(digest)) continue;
        const first = wanted.get(digest);
        if (!first || healthy && failed.has(first.reference.written)) wanted.set(digest, image);
      }
  }
  return wanted;
}
async function publishManifests(client, images, digests, path, previousText, failed = /* @__PURE__ */ new Set()) {
  const { manifests: previous, warnings } = parseManifests(previousText, path);
  const wanted = wantedManifests(images, digests, failed);
  const manifests = {};
  const deferredByImage = /* @__PURE__ */ new Map();
  await Promise.all(
    [...wanted].map(async ([digest, image]) => {
      const known = previous[digest];
      if (known) {
        manifests[digest] = known;
        return;
      }
      if (!client || failed.has(image.reference.written)) return;
      try {
        const document = await client.manifestDocument(image.reference, digest);
        manifests[digest] = publishedManifest(digest, document);
      } catch (error) {
        if (error instanceof PullQuotaDeferral) {
          const reads = deferredByImage.get(image) ?? /* @__PURE__ */ new Set();
          reads.add(digest);
          deferredByImage.set(image, reads);
          return;
        }
        warnings.push(
          `${image.reference.written}: platform manifest ${digest} not published: ${error.message}; its references stay published and the next run tries again`
        );
      }
    })
  );
  const text = renderManifests(manifests);
  const kept = Object.keys(previous).filter((digest) => manifests[digest] !== void 0).length;
  return {
    path,
    manifests,
    previousText,
    text,
    added: Object.keys(manifests).length - kept,
    removed: Object.keys(previous).length - kept,
    deferred: [...deferredByImage].map(([image, reads]) => ({
      image: image.reference.written,
      registry: image.reference.registry,
      tracks: [],
      reads,
      manifestsFile: reads.size
    })),
    warnings
  };
}
function formatManifestsReport(report, dryRun = false) {
  const verb = dryRun ? "would be " : "";
  const removed = report.removed > 0 ? `, ${report.removed} ${verb}removed` : "";
  return `${report.path}: ${plural(report.added, "image manifest")} ${verb}added${removed} (${report.total} in all)`;
}

// src/update/run-update.ts
var silent = { info: () => void 0, warning: () => void 0 };
async function runUpdate(options) {
  const log = options.log ?? silent;
  const now = options.now ?? currentTime();
  const statePath = options.statePath ?? defaultStatePath(options.digestsPath);
  const images = await loadImagesConfig(options.imagesPath);
  const previousText = await readTextIfPresent(options.digestsPath);
  const previous = parseDigests(previousText, options.digestsPath);
  const previousStateText = await readTextIfPresent(statePath);
  const previousState = parseState(previousStateText, statePath);
  const publishing = options.publishManifests !== false;
  const manifestsPath = options.manifestsPath ?? defaultManifestsPath(options.digestsPath);
  const previousManifestsText = publishing ? await readTextIfPresent(manifestsPath) : void 0;
  const client = images.length > 0 ? new (await import("./client-5GVPISUI.js")).RegistryClient(clientOptions(options, images)) : void 0;
  let settled = [];
  if (client) {
    try {
      const concurrency = options.concurrency ?? DEFAULT_IMAGE_CONCURRENCY;
      settled = await resolveAll(client, images, previous, previousState, concurrency);
    } catch (error) {
      await client.close();
      throw error;
    }
  }
  const next = dictionary();
  const nextState = { version: 1, images: dictionary() };
  const releases = dictionary();
  const waiting = [];
  const stale = [];
  const failures = [];
  const warnings = [];
  const deferredImages = [];
  images.forEach((image, index) => {
    const name = image.reference.written;
    const before = {
      entry: own(previous, name),
      state: own(previousState.images, name),
      releases: own(previousState.releases, name)
    };
    const decision = decideImage(
      image,
      settled[index],
      before,
      now,
      options.minimumReleaseAge,
      log
    );
    if (decision.failure) failures.push(decision.failure);
    if (decision.entry) next[name] = decision.entry;
    if (decision.state) nextState.images[name] = decision.state;
    if (decision.releases) releases[name] = decision.releases;
    waiting.push(...decision.waiting);
    stale.push(...decision.stale);
    warnings.push(...decision.warnings);
    if (decision.deferred) deferredImages.push(decision.deferred);
  });
  let manifests;
  try {
    if (publishing)
      manifests = await publishManifests(
        client,
        images,
        next,
        manifestsPath,
        previousManifestsText,
        new Set(failures.map((failure) => failure.image))
      );
  } finally {
    await client?.close();
  }
  deferredImages.push(...manifests?.deferred ?? []);
  for (const line of manifests?.warnings ?? []) {
    warnings.push(line);
    log.warning(line);
  }
  const deferred = client ? collectDeferrals(deferredImages, client.budgets()) : [];
  for (const deferral of deferred) log.warning(formatDeferral(deferral));
  const content = client?.contentReport();
  for (const line of content?.tampered ?? []) {
    warnings.push(line);
    log.warning(line);
  }
  for (const line of content?.missed ?? []) log.info(line);
  if (Object.keys(releases).length > 0) nextState.releases = releases;
  const digestsText = renderDocument(next);
  const stateText = renderDocument(nextState);
  const written = [];
  if (!options.dryRun) {
    if (stateText !== previousStateText) {
      await writeFileAtomic(statePath, stateText);
      written.push(statePath);
    }
    if (manifests && manifests.text !== manifests.previousText) {
      await writeFileAtomic(manifests.path, manifests.text);
      written.push(manifests.path);
    }
    if (digestsText !== previousText) {
      await writeFileAtomic(options.digestsPath, digestsText);
      written.push(options.digestsPath);
    }
  }
  return {
    changes: diffDigests(previous, next).map(
      (change) => withReleaseLinks(change, previousState, nextState)
    ),
    stale,
    failures,
    requestCounts: client?.requestCounts() ?? {},
    changed: digestsText !== previousText,
    written,
    digestsPath: options.digestsPath,
    statePath,
    previous,
    digests: next,
    deferred,
    warnings,
    waiting,
    states: { before: previousState, after: nextState },
    pullsSaved: content?.pullsSaved ?? {},
    ...manifests ? { manifests: manifestsReport(manifests) } : {}
  };
}
function manifestsReport(outcome) {
  return {
    path: outcome.path,
    changed: outcome.text !== outcome.previousText,
    added: outcome.added,
    removed: outcome.removed,
    total: Object.keys(outcome.manifests).length
  };
}

// src/update/manifest-cost.ts
async function plannedManifestReads(client, images, prepared, options) {
  const reads = /* @__PURE__ */ new Map();
  if (options.publishManifests === false) return reads;
  const manifestsPath = options.manifestsPath ?? defaultManifestsPath(options.digestsPath);
  const { manifests } = parseManifests(await readTextIfPresent(manifestsPath), manifestsPath);
  const digests = parseDigests(await readTextIfPresent(options.digestsPath), options.digestsPath);
  const counted = new Set(Object.keys(manifests));
  const count = (registry, key) => {
    if (counted.has(key)) return;
    counted.add(key);
    reads.set(registry, (reads.get(registry) ?? 0) + 1);
  };
  for (const [digest, image] of wantedManifests(images, digests))
    count(image.reference.registry, digest);
  for (const outcome of prepared) {
    if (outcome.status === "rejected" || outcome.value.image.manifests === false) continue;
    const { image, tracks, heads, previousState } = outcome.value;
    for (const track of tracks) {
      const tag = track.candidates[0];
      const digest = tag === void 0 ? void 0 : heads.get(tag);
      if (!digest) continue;
      const known = previousState[digest];
      if (known) {
        for (const platform of image.platforms)
          if (known[platform]) count(image.reference.registry, known[platform]);
        continue;
      }
      const head = await client.headTag(image.reference, tag);
      if (head?.mediaType && !isIndexMediaType(head.mediaType)) continue;
      for (const platform of image.platforms)
        count(image.reference.registry, `${digest} ${platform}`);
    }
  }
  return reads;
}

// src/update/cost-plan.ts
async function planCost(options) {
  const statePath = options.statePath ?? defaultStatePath(options.digestsPath);
  const images = await loadImagesConfig(options.imagesPath);
  const state = parseState(await readTextIfPresent(statePath), statePath);
  const { RegistryClient } = await import("./client-5GVPISUI.js");
  const client = new RegistryClient({ ...clientOptions(options, images), getContent: false });
  let settled;
  let forManifests;
  try {
    const slots = new Semaphore(options.concurrency ?? DEFAULT_IMAGE_CONCURRENCY);
    settled = await Promise.allSettled(prepareAll(client, images, state, slots, false));
    forManifests = await plannedManifestReads(client, images, settled, options);
  } finally {
    await client.close();
  }
  const wanted = /* @__PURE__ */ new Map();
  const failures = [];
  settled.forEach((outcome, index) => {
    const image = images[index];
    const registry = image.reference.registry;
    if (outcome.status === "rejected") {
      const reason = outcome.reason;
      failures.push({ image: image.reference.written, message: reason.message });
      return;
    }
    const reads = wanted.get(registry) ?? /* @__PURE__ */ new Set();
    wanted.set(registry, reads);
    const { tracks, heads, previousState } = outcome.value;
    for (const track of tracks) {
      const tag = track.candidates[0];
      if (tag === void 0) continue;
      const digest = heads.get(tag);
      if (digest === void 0) reads.add(`${image.reference.repository}:${tag}`);
      else if (digest !== null && !own(previousState, digest))
        reads.add(`${image.reference.repository}@${digest}`);
    }
  });
  const budgets = client.budgets();
  const registries = [...wanted].sort(([a], [b]) => a.localeCompare(b));
  return {
    failures,
    registries: registries.map(([registry, reads]) => {
      const manifestsFileGets = forManifests.get(registry) ?? 0;
      const gets = reads.size + manifestsFileGets;
      const budget = budgets.get(registry);
      const perWindow = budget?.perWindow();
      const perRun = perWindow === void 0 ? void 0 : perWindow - budget.reserve;
      const quota = budget?.announced();
      const spendableNow = budget?.spendable();
      const otherSources = (own(options.contentMirrors, registry)?.length ?? 0) > 0 || images.some((image) => image.reference.registry === registry && image.alternates);
      return {
        registry,
        manifestGets: gets,
        manifestsFileGets,
        reserve: budget?.reserve ?? options.pullReserve ?? DEFAULT_PULL_RESERVE,
        ...quota ? { quota } : {},
        ...spendableNow !== void 0 ? { spendableNow } : {},
        ...perRun !== void 0 && perRun > 0 ? { runs: Math.ceil(gets / perRun) } : {},
        ...otherSources ? { otherSources } : {}
      };
    })
  };
}
function formatRegistryCost(cost) {
  const others = cost.otherSources ? "; alternates configured: GETs may be read there instead" : "";
  return formatCost(cost) + others;
}
function formatCost(cost) {
  const forFile = cost.manifestsFileGets ? ` (${cost.manifestsFileGets} of them image manifests for manifests.json)` : "";
  const gets = plural(cost.manifestGets, "manifest GET") + forFile;
  if (!cost.quota) return `plan: ${cost.registry}: ${gets}; no pull quota announced`;
  const runs = cost.runs === void 0 ? "no run can spend any (the reserve takes the whole quota)" : `${plural(cost.runs, "run")}, one per full window`;
  return `plan: ${cost.registry}: ${gets}; quota ${cost.quota}, ${cost.spendableNow ?? 0} to spend now with ${cost.reserve} kept in reserve; ${runs}`;
}

// src/update/track-changes.ts
function sameReferences2(a, b) {
  if (!a || !b) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => own(a, key) === own(b, key));
}
function isLegacyAlias(tracks, key) {
  return /^v\d/.test(key) && sameReferences2(own(tracks, key), own(tracks, key.slice(1)));
}
function keysOnlyIn(a, b) {
  const tracks = [];
  const aliases = [];
  for (const key of Object.keys(a).sort()) {
    if (own(b, key) !== void 0) continue;
    (isLegacyAlias(a, key) ? aliases : tracks).push(key);
  }
  return { tracks, aliases };
}
function trackChanges(before, after) {
  const images = [.../* @__PURE__ */ new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const found = [];
  for (const image of images) {
    const added = keysOnlyIn(own(after, image) ?? {}, own(before, image) ?? {});
    const removed = keysOnlyIn(own(before, image) ?? {}, own(after, image) ?? {});
    const entry = {
      image,
      added: added.tracks,
      removed: removed.tracks,
      aliasesAdded: added.aliases,
      aliasesRemoved: removed.aliases
    };
    if (added.tracks.length + removed.tracks.length + added.aliases.length + removed.aliases.length)
      found.push(entry);
  }
  return found;
}
function trackChangeTotals(changes) {
  const sum = (pick) => changes.reduce((total, entry) => total + pick(entry).length, 0);
  return {
    added: sum((entry) => entry.added),
    removed: sum((entry) => entry.removed),
    aliasesAdded: sum((entry) => entry.aliasesAdded),
    aliasesRemoved: sum((entry) => entry.aliasesRemoved),
    images: changes.length
  };
}
function trackChangeParts(entry, format, shown = 20) {
  const part = (keys, what) => {
    if (keys.length === 0) return [];
    const listed = keys.slice(0, shown).map(format).join(", ");
    const more = keys.length > shown ? ` and ${keys.length - shown} more` : "";
    return [`${what}: ${listed}${more}`];
  };
  const aliases = (count) => plural(count, "legacy alias", "legacy aliases");
  return [
    ...part(entry.added, `${plural(entry.added.length, "track")} added`),
    ...part(entry.removed, `${plural(entry.removed.length, "track")} removed`),
    ...part(entry.aliasesAdded, `${aliases(entry.aliasesAdded.length)} added`),
    ...part(entry.aliasesRemoved, `${aliases(entry.aliasesRemoved.length)} removed`)
  ];
}
function formatTrackTotals(totals) {
  if (totals.images === 0) return "no track added or removed";
  const tracks = `${plural(totals.added, "track")} added and ${totals.removed} removed in ${plural(totals.images, "image")}`;
  if (totals.aliasesAdded + totals.aliasesRemoved === 0) return tracks;
  return `${tracks}; legacy v aliases, counted apart: ${totals.aliasesAdded} added and ${totals.aliasesRemoved} removed`;
}
function formatTrackChanges(changes) {
  return [
    `tracks: ${formatTrackTotals(trackChangeTotals(changes))}`,
    ...changes.map(
      (entry) => `  ${entry.image}: ${trackChangeParts(entry, (key) => key).join("; ")}`
    )
  ];
}

// src/cli/update.ts
var UPDATE_USAGE = `Usage: nix-oci-hashes update [options]

Reads images.json, resolves every version track's per-platform digest from the registries and
rewrites digests.json (and its state file) when anything changed.

Options:
  --images FILE          image list (default: images.json)
  --digests FILE         output (default: digests.json)
  --state FILE           cache of manifest digests (default: <digests>.state.json beside it)
  --manifests FILE       every platform manifest digests.json pins, verbatim, for the flake's
                         lib.fetchImage (default: manifests.json beside the digests)
  --no-manifests         neither read nor write the manifests file (saves one manifest GET
                         per platform per new release)
  --mirror REGISTRY=URL  send REGISTRY's requests to URL, e.g. docker.io=http://127.0.0.1:5000
                         (repeatable; keys and references keep the names as written)
  --ca-file FILE         trust the CAs in this PEM file for every registry (repeatable;
                         /etc/docker/certs.d/<host>/*.crt are trusted per host as in Docker)
  --insecure-registry HOST  speak plain HTTP to HOST (host:port as in image names; repeatable)
  --content-mirror REGISTRY=URL  read REGISTRY's manifests and configs by digest from URL
                         first, verified against the digest (repeatable, asked in order);
                         tag lists and HEADs still go to REGISTRY, e.g.
                         docker.io=https://mirror.gcr.io
  --dry-run              compute and print the changes, write nothing
  --plan                 read tag lists and HEADs only (no manifest GET) and print, per
                         registry, how many manifest GETs a real run would make and how many
                         runs that takes at the registry's announced pull quota; write nothing
  --timeout SECONDS      per request attempt (default: 30)
  --retries N            retries per request for 429, 5xx and network errors (default: 2)
  --deadline SECONDS     per request, retries included (default: 110)
  --image-deadline SECONDS  per image, every request of its own together (default: 600)
  --concurrency N        images resolved at once (default: all; --requests-per-registry
                         is what bounds the load on each registry)
  --requests-per-registry N  requests in flight per registry (default: ${DEFAULT_REQUESTS_PER_REGISTRY})
  --page-size N          tags per tags/list page to ask for (default: the registry's)
  --pull-reserve N       pulls to leave untouched at a registry that announces a pull quota,
                         for the machines that run the pinned images (default: 2)
  --minimum-release-age DURATION  take a new digest for a track only once it has been seen
                         upstream this long (3d, 12h, 30m); images.json's minimumReleaseAge
                         wins per image (default: none). NIX_OCI_HASHES_NOW (ISO 8601) fixes
                         the current time
  -h, --help             show this help

Changes go to stdout, one line each; progress, request counts, the tracks added and removed
per image, and errors to stderr.
Exit status: 0 on success (changed or not, and when a pull quota deferred part of the work to
the next run), 1 when an image failed, 2 on bad input or usage.

Other commands: nix-oci-hashes check [PATH...] and nix-oci-hashes pin [PATH...]
(nix-oci-hashes check --help, nix-oci-hashes pin --help).`;
async function updateMain(argv) {
  const parsed = parseCommand(argv, UPDATE_OPTIONS, UPDATE_USAGE);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  const [command, ...extra] = positionals;
  if (command === void 0) throw new UsageError("no command given: update, check or pin");
  if (command !== "update")
    throw new UsageError(`unknown command "${command}": the commands are update, check and pin`);
  if (extra.length > 0) throw new UsageError(`update takes no arguments, got "${extra.join(" ")}"`);
  const { http, requestsPerRegistry, network } = registryLimits(values);
  const concurrency = positiveNumber(values.concurrency, "--concurrency");
  const tagPageSize = positiveNumber(values["page-size"], "--page-size");
  const pullReserve = wholeNumber(values["pull-reserve"], "--pull-reserve");
  const minimumReleaseAge = durationOption(values["minimum-release-age"]);
  if (values.manifests !== void 0 && values["no-manifests"])
    throw new UsageError("--manifests and --no-manifests contradict each other: give one");
  const options = {
    imagesPath: values.images,
    digestsPath: values.digests,
    ...values.state ? { statePath: values.state } : {},
    ...values.manifests ? { manifestsPath: values.manifests } : {},
    ...values["no-manifests"] ? { publishManifests: false } : {},
    mirrors: parseMirrors(values.mirror),
    contentMirrors: parseContentMirrors(values["content-mirror"]),
    dryRun: values["dry-run"],
    http,
    network,
    ...concurrency ? { concurrency } : {},
    ...requestsPerRegistry ? { requestsPerRegistry } : {},
    ...tagPageSize ? { tagPageSize } : {},
    ...pullReserve !== void 0 ? { pullReserve } : {},
    ...minimumReleaseAge !== void 0 ? { minimumReleaseAge } : {},
    log: {
      info: (message) => printErr(`${message}
`),
      warning: (message) => printErr(`warning: ${message}
`)
    }
  };
  if (values.plan) return printPlan(await planCost(options));
  const result = await runUpdate(options);
  for (const change of result.changes) printOut(formatChange(change) + "\n");
  reportRequestCounts(result.requestCounts);
  if (result.waiting.length > 0) {
    printErr(`waiting: ${plural(result.waiting.length, "track")} for the minimum release age
`);
    for (const entry of result.waiting) printErr(`  ${formatWaiting(entry)}
`);
  }
  reportPullsSaved(result.pullsSaved);
  if (result.manifests) printErr(formatManifestsReport(result.manifests, values["dry-run"]) + "\n");
  for (const line of formatTrackChanges(trackChanges(result.previous, result.digests)))
    printErr(line + "\n");
  const count = plural(result.changes.length, "reference");
  const outcome = values["dry-run"] ? `dry run: ${count} would change, nothing written` : result.written.length > 0 ? `${count} changed; wrote ${result.written.join(" and ")}` : `${count} changed; ${result.digestsPath} is up to date`;
  printErr(outcome + "\n");
  for (const failure of result.failures) {
    printErr(`error: ${failure.image}: ${failure.message} (previous entries kept)
`);
  }
  return result.failures.length > 0 ? 1 : 0;
}
function durationOption(value) {
  if (value === void 0) return void 0;
  const age = parseDuration(value);
  if (age === void 0)
    throw new UsageError(
      `--minimum-release-age must be a duration such as 3d, 12h or 30m, not "${value}"`
    );
  return age;
}
function printPlan(plan) {
  for (const registry of plan.registries) printOut(formatRegistryCost(registry) + "\n");
  for (const failure of plan.failures) {
    printErr(`error: ${failure.image}: ${failure.message}
`);
  }
  return plan.failures.length > 0 ? 1 : 0;
}
export {
  updateMain
};
