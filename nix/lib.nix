# The flake's `lib`, built over the digests (image -> track -> platform -> reference) and the
# platform manifests they reference (digest -> { mediaType; text; }).
#
#   import ./nix/lib.nix { digests = fromJSON digests.json; manifests = fromJSON manifests.json; }
#
# Pure Nix (builtins only): the flake has no inputs, so nothing here may need nixpkgs; fetchImage
# takes the caller's pkgs.
data:

let
  hashes = data.digests;
  manifests = data.manifests or { };
  inherit (builtins)
    attrNames
    concatStringsSep
    elemAt
    filter
    foldl'
    genList
    hasAttr
    head
    isAttrs
    isFloat
    isInt
    isString
    length
    listToAttrs
    mapAttrs
    match
    stringLength
    substring
    toJSON
    typeOf
    ;

  prefix = "nix-oci-hashes:";

  # Nix system -> OCI platform ("os/arch[/variant]").
  platforms = {
    "x86_64-linux" = "linux/amd64";
    "aarch64-linux" = "linux/arm64";
    "armv7l-linux" = "linux/arm/v7";
    "armv6l-linux" = "linux/arm/v6";
    "i686-linux" = "linux/386";
    "powerpc64le-linux" = "linux/ppc64le";
    "riscv64-linux" = "linux/riscv64";
    "s390x-linux" = "linux/s390x";
  };

  systems = attrNames platforms;

  # attrNames is already sorted; "(none)" keeps an empty list readable in a message.
  listOf = names: if names == [ ] then "(none)" else concatStringsSep ", " names;
  quote = toJSON;

  checkString =
    what: value:
    if isString value then
      value
    else
      throw "${prefix} ${what} must be a string, got a ${typeOf value}";

  # Edit distance (insertions, deletions, substitutions), row by row; only error paths call it.
  levenshtein =
    a: b:
    let
      lb = stringLength b;
      bChars = genList (j: substring j 1 b) lb;
      nextRow =
        prev: i:
        let
          ca = substring i 1 a;
          row = genList (
            j:
            if j == 0 then
              i + 1
            else
              min3 (elemAt prev j + 1) (elemAt row (j - 1) + 1) (
                elemAt prev (j - 1) + (if ca == elemAt bChars (j - 1) then 0 else 1)
              )
          ) (lb + 1);
        in
        builtins.deepSeq row row;
    in
    elemAt (foldl' nextRow (genList (j: j) (lb + 1)) (genList (i: i) (stringLength a))) lb;
  min2 = x: y: if x < y then x else y;
  min3 = x: y: z: min2 x (min2 y z);

  # "did you mean ...? " for the candidates closest to what was asked, compared as `key` maps
  # them; nothing when even the closest is more than a third of the asked name away.
  suggest =
    key: asked: candidates:
    let
      scored = map (c: {
        name = c;
        d = levenshtein (key asked) (key c);
      }) candidates;
      best = foldl' (m: s: min2 m s.d) 1000000 scored;
      limit = let l = stringLength asked / 3; in if l < 1 then 1 else l;
      closest = map (s: quote s.name) (filter (s: s.d == best) scored);
    in
    if candidates == [ ] || best > limit then
      ""
    else
      "did you mean ${concatStringsSep " or " closest}? ";

  # Docker's reading of an image name: the first segment is a registry only when it has a dot or
  # a colon or is localhost; docker.io, index.docker.io and registry-1.docker.io are one registry;
  # a one-segment Docker Hub repository is under library/. "nextcloud", "library/nextcloud" and
  # "index.docker.io/library/nextcloud" all become "docker.io/library/nextcloud".
  canonicalImage =
    name:
    let
      parts = match "([^/]+)/(.+)" name;
      first = if parts == null then null else elemAt parts 0;
      hasRegistry = first != null && (first == "localhost" || match ".*[.:].*" first != null);
      registry = if hasRegistry then first else "docker.io";
      path = if hasRegistry then elemAt parts 1 else name;
      dockerHub = registry == "docker.io" || registry == "index.docker.io" || registry == "registry-1.docker.io";
    in
    if dockerHub then
      "docker.io/${if match "[^/]+" path != null then "library/${path}" else path}"
    else
      "${registry}/${path}";

  # What digests.json may hold: image -> track -> platform -> reference, each a string of this
  # grammar. The updater's writer and check's reader apply the same expressions
  # (src/common/digests-grammar.ts) and tests/fixtures/digests-grammar/cases.json is the table all
  # three are tested against, so whatever the updater writes evaluates here, and what this lib
  # refuses check skips. A registry host is Docker's: a name with a dot or a port,
  # localhost, or an IPv6 literal in brackets; the tag cannot hold a slash, so a registry port
  # is never taken for it.
  grammar =
    let
      label = "[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?";
      port = ":[0-9]{1,5}";
      host = "(${label}(\\.${label})+(${port})?|${label}${port}|localhost|\\[[a-fA-F0-9:.]+](${port})?)";
      component = "[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*";
      name = "(${host}/)?${component}(/${component})*";
      tag = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";
      digest = "(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})";
    in
    {
      inherit name tag digest;
      imageKey = {
        pattern = name;
        maxLength = 255;
      };
      trackKey = {
        pattern = tag;
        maxLength = 128;
      };
      platformKey = {
        pattern = "[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?";
        maxLength = 255;
      };
      reference = {
        pattern = "${name}:${tag}@${digest}";
        maxLength = 520;
      };
    };

  # Length first: a regular expression is never run over an unbounded string.
  matchesGrammar =
    part: value:
    isString value
    && stringLength value <= grammar.${part}.maxLength
    && match grammar.${part}.pattern value != null;
  isImageKey = matchesGrammar "imageKey";
  isTrackKey = matchesGrammar "trackKey";
  isPlatformKey = matchesGrammar "platformKey";
  # name:tag@sha256:<64 hex> or name:tag@sha512:<128 hex>, the only kind of reference a lookup
  # hands out.
  isPinnedReference = matchesGrammar "reference";

  # One entry as a lookup hands it out: refused, naming it, when any part is outside the grammar.
  # Only that entry: every other lookup, and forSystem's other values, still evaluate.
  checkedEntry =
    where: image: track: platform: reference:
    let
      entry = "the digests.json entry for image ${quote image} track ${quote track} platform ${quote platform}";
    in
    if !isImageKey image then
      throw "${prefix} ${where}${entry} has an image key that is not an image name"
    else if !isTrackKey track then
      throw "${prefix} ${where}${entry} has a track key that is not a tag"
    else if !isPlatformKey platform then
      throw "${prefix} ${where}${entry} has a platform key that is not os/arch[/variant]"
    else if isPinnedReference reference then
      reference
    else
      throw "${prefix} ${where}${entry} is not a pinned reference (name:tag@sha256:<64 hex digits> or @sha512:<128 hex digits>): ${toJSON reference}";

  platformOf =
    system:
    let
      s = checkString "the system" system;
    in
    if hasAttr s platforms then
      platforms.${s}
    else
      throw "${prefix} no OCI platform is known for the Nix system ${quote s}; supported systems: ${listOf systems} (or pass platform = \"os/arch\" instead of system)";

  # Accepts { system = ...; } or { platform = ...; } (exactly one of them).
  platformFromArgs =
    fn: args:
    let
      hasSystem = (args.system or null) != null;
      hasPlatform = (args.platform or null) != null;
    in
    if hasSystem && hasPlatform then
      throw "${prefix} ${fn}: give either system or platform, not both (got system = ${quote args.system}, platform = ${quote args.platform})"
    else if hasSystem then
      platformOf args.system
    else if hasPlatform then
      checkString "platform" args.platform
    else
      throw "${prefix} ${fn}: missing system (e.g. system = \"x86_64-linux\") or platform (e.g. platform = \"linux/amd64\")";

  describePlatform =
    args: platform:
    if (args.system or null) != null then
      "platform ${quote platform} (system ${quote args.system})"
    else
      "platform ${quote platform}";

  # The whole lookup, with an error that says what is missing and what there is instead. An
  # optional `context` (e.g. the NixOS option that asked) leads every message.
  lookup =
    fn: args:
    let
      where = if (args.context or null) != null then "${args.context}: " else "";
      asked = checkString "image" (
        args.image
          or (throw "${prefix} ${where}${fn}: missing image (e.g. image = \"docker.io/nextcloud\")")
      );
      trackArg = args.track or (throw "${prefix} ${where}${fn}: missing track (e.g. track = \"latest\")");
      track =
        if isString trackArg then
          trackArg
        else if isInt trackArg then
          toString trackArg
        else if isFloat trackArg then
          throw "${prefix} ${where}track must be a string or an integer, got a float; write it as a string, e.g. track = \"30.0\""
        else
          throw "${prefix} ${where}track must be a string or an integer, got a ${typeOf trackArg}";
      platform = platformFromArgs "${where}${fn}" args;
      keys = attrNames hashes;
      sameImage = filter (k: canonicalImage k == canonicalImage asked) keys;
      image =
        if hasAttr asked hashes then
          asked
        else if length sameImage == 1 then
          head sameImage
        else if sameImage != [ ] then
          throw "${prefix} ${where}image ${quote asked} matches several entries of digests.json that Docker treats as the same image: ${listOf sameImage}; write one of them exactly"
        else
          throw "${prefix} ${where}image ${quote asked} is not in digests.json; ${suggest canonicalImage asked keys}available images: ${listOf keys}";
      tracks = hashes.${image};
      byPlatform =
        if hasAttr track tracks then
          tracks.${track}
        else
          throw "${prefix} ${where}track ${quote track} of image ${quote image} is not in digests.json; ${
            suggest (t: t) track (attrNames tracks)
          }available tracks: ${listOf (attrNames tracks)}";
      reference =
        if hasAttr platform byPlatform then
          byPlatform.${platform}
        else
          throw "${prefix} ${where}${describePlatform args platform} is not recorded for image ${quote image} track ${quote track}; available platforms: ${listOf (attrNames byPlatform)}";
    in
    checkedEntry where image track platform reference;

  image = args: lookup "image" args;

  # image -> track -> reference for one platform; tracks without it are left out, and so are
  # images left with no track.
  forPlatform =
    platform:
    let
      p = checkString "the platform" platform;
      pick =
        image: tracks:
        listToAttrs (
          map (track: {
            name = track;
            value = checkedEntry "" image track p tracks.${track}.${p};
          }) (filter (track: hasAttr p tracks.${track}) (attrNames tracks))
        );
      picked = mapAttrs pick hashes;
    in
    listToAttrs (
      map (name: {
        inherit name;
        value = picked.${name};
      }) (filter (name: picked.${name} != { }) (attrNames picked))
    );

  forSystem = system: forPlatform (platformOf system);

  # "name[:tag][@algo:hex]" -> { name, tag, digest }; tag and digest are null when absent.
  # The tag is what follows the last colon after the last slash, so a registry port
  # ("registry.example.com:5000/team/app") is never taken for a tag.
  parseReference =
    reference:
    let
      ref = checkString "the reference" reference;
      withDigest = match "([^@]+)@(${grammar.digest})" ref;
      nameTag = if withDigest == null then ref else elemAt withDigest 0;
      digest = if withDigest == null then null else elemAt withDigest 1;
      tagged = match "(.*[^/]):([A-Za-z0-9_][A-Za-z0-9_.-]*)" nameTag;
      name = if tagged == null then nameTag else elemAt tagged 0;
      tag = if tagged == null then null else elemAt tagged 1;
      validName = isImageKey name && (tag == null || isTrackKey tag);
    in
    if !validName || match ".*@.*" nameTag != null then
      throw "${prefix} cannot parse the image reference ${quote ref}; expected name[:tag][@sha256:<64 hex digits>], e.g. \"docker.io/nextcloud:30.0.4@sha256:<digest>\""
    else
      {
        inherit name tag digest;
      };

  # Split an OS/arch platform string: "linux/arm/v7" -> { os = "linux"; arch = "arm"; variant = "v7"; }.
  parsePlatform =
    platform:
    let
      p = checkString "the platform" platform;
      parts = match "([^/]+)/([^/]+)(/([^/]+))?" p;
    in
    if parts == null then
      throw "${prefix} cannot parse the platform ${quote p}; expected os/arch or os/arch/variant, e.g. \"linux/amd64\""
    else
      {
        os = elemAt parts 0;
        arch = elemAt parts 1;
        variant = elemAt parts 3;
      };

  # Arguments for pkgs.dockerTools.pullImage (add your own sha256 / hash):
  #   pullImageArgs { image; track; system | platform; }
  #   pullImageArgs { reference; system | platform; }
  pullImageArgs =
    args:
    let
      where = if (args.context or null) != null then "${args.context}: " else "";
      platform = platformFromArgs "${where}pullImageArgs" args;
      reference =
        if (args.reference or null) != null then
          if (args.image or null) != null || (args.track or null) != null then
            throw "${prefix} ${where}pullImageArgs: give either reference or image and track, not both"
          else
            args.reference
        else
          lookup "pullImageArgs" args;
      parsed = parseReference reference;
      plat = parsePlatform platform;
    in
    if parsed.digest == null then
      throw "${prefix} ${where}pullImageArgs: the reference ${quote reference} has no @sha256:... digest, which dockerTools.pullImage needs"
    else
      let
        finalImageTag = if parsed.tag == null then "latest" else parsed.tag;
      in
      {
        imageName = parsed.name;
        imageDigest = parsed.digest;
        inherit finalImageTag;
        inherit (plat) os arch;
        # The digest is in the name: when a digest update reaches you but the tarball hash is
        # left as it was, the store path changes and Nix fails on the hash, instead of quietly
        # reusing the tarball fetched earlier under the same fixed-output hash. A store path name
        # holds no brackets, so an IPv6 host ("[fd00::5]:5000") loses them.
        name =
          builtins.replaceStrings [ "/" ":" "[" "]" ] [ "-" "-" "" "" ]
            "docker-image-${parsed.name}-${finalImageTag}-${builtins.substring 7 12 parsed.digest}.tar";
      };

  # Manifests are keyed by their digest, so the ones this lib holds stay valid for any digests.
  withHashes =
    newHashes:
    if isAttrs newHashes then
      import ./lib.nix { digests = newHashes; inherit manifests; }
    else
      throw "${prefix} withHashes expects an attrset image -> track -> platform -> reference, got a ${typeOf newHashes}";

  # Both default to what this lib holds: withData { manifests = ...; } keeps the digests.
  withData =
    args:
    let
      digests = args.digests or hashes;
      newManifests = args.manifests or manifests;
    in
    if !(isAttrs digests) then
      throw "${prefix} withData: digests must be an attrset image -> track -> platform -> reference, got a ${typeOf digests}"
    else if !(isAttrs newManifests) then
      throw "${prefix} withData: manifests must be an attrset digest -> { mediaType; text; }, got a ${typeOf newManifests}"
    else
      import ./lib.nix {
        inherit digests;
        manifests = newManifests;
      };

  fetchImage = import ./fetch-image.nix {
    inherit
      prefix
      lookup
      parseReference
      canonicalImage
      manifests
      ;
  };
in
{
  inherit
    platforms
    systems
    platformOf
    forSystem
    forPlatform
    image
    parseReference
    parsePlatform
    pullImageArgs
    withHashes
    withData
    fetchImage
    canonicalImage
    isImageKey
    isTrackKey
    isPlatformKey
    isPinnedReference
    ;
  # The digests and manifests this lib was built over.
  ociHashes = hashes;
  ociManifests = manifests;
}
