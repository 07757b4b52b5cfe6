# The flake's `lib`, built over one digests attrset of shape image -> track -> platform -> reference.
#
#   import ./nix/lib.nix (builtins.fromJSON (builtins.readFile ./digests.json))
#
# Pure Nix (builtins only): the flake has no inputs, so nothing here may need nixpkgs.
hashes:

let
  inherit (builtins)
    attrNames
    concatStringsSep
    elemAt
    filter
    hasAttr
    isAttrs
    isString
    listToAttrs
    mapAttrs
    match
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

  # The whole lookup, with an error that says what is missing and what there is instead.
  lookup =
    fn: args:
    let
      image = checkString "image" (
        args.image or (throw "${prefix} ${fn}: missing image (e.g. image = \"docker.io/nextcloud\")")
      );
      track = checkString "track" (
        args.track or (throw "${prefix} ${fn}: missing track (e.g. track = \"latest\")")
      );
      platform = platformFromArgs fn args;
      tracks =
        if hasAttr image hashes then
          hashes.${image}
        else
          throw "${prefix} image ${quote image} is not in digests.json; available images: ${listOf (attrNames hashes)}";
      byPlatform =
        if hasAttr track tracks then
          tracks.${track}
        else
          throw "${prefix} track ${quote track} of image ${quote image} is not in digests.json; available tracks: ${listOf (attrNames tracks)}";
    in
    if hasAttr platform byPlatform then
      byPlatform.${platform}
    else
      throw "${prefix} ${describePlatform args platform} is not recorded for image ${quote image} track ${quote track}; available platforms: ${listOf (attrNames byPlatform)}";

  image = args: lookup "image" args;

  # image -> track -> reference for one platform; tracks without it are left out, and so are
  # images left with no track.
  forPlatform =
    platform:
    let
      p = checkString "the platform" platform;
      pick =
        tracks:
        listToAttrs (
          map (track: {
            name = track;
            value = tracks.${track}.${p};
          }) (filter (track: hasAttr p tracks.${track}) (attrNames tracks))
        );
      picked = mapAttrs (_: pick) hashes;
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
      withDigest = match "([^@]+)@([a-z0-9]+([+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+)" ref;
      nameTag = if withDigest == null then ref else elemAt withDigest 0;
      digest = if withDigest == null then null else elemAt withDigest 1;
      tagged = match "(.*[^/]):([A-Za-z0-9_][A-Za-z0-9_.-]*)" nameTag;
      name = if tagged == null then nameTag else elemAt tagged 0;
      tag = if tagged == null then null else elemAt tagged 1;
      validName = match "[a-zA-Z0-9]([a-zA-Z0-9._:/-]*[a-zA-Z0-9])?" name != null;
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
      platform = platformFromArgs "pullImageArgs" args;
      reference =
        if (args.reference or null) != null then
          if (args.image or null) != null || (args.track or null) != null then
            throw "${prefix} pullImageArgs: give either reference or image and track, not both"
          else
            args.reference
        else
          lookup "pullImageArgs" args;
      parsed = parseReference reference;
      plat = parsePlatform platform;
    in
    if parsed.digest == null then
      throw "${prefix} pullImageArgs: the reference ${quote reference} has no @sha256:... digest, which dockerTools.pullImage needs"
    else
      {
        imageName = parsed.name;
        imageDigest = parsed.digest;
        finalImageTag = if parsed.tag == null then "latest" else parsed.tag;
        inherit (plat) os arch;
      };

  withHashes =
    newHashes:
    if isAttrs newHashes then
      import ./lib.nix newHashes
    else
      throw "${prefix} withHashes expects an attrset image -> track -> platform -> reference, got a ${typeOf newHashes}";
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
    ;
  # The digests this lib was built over.
  ociHashes = hashes;
}
