# lib.fetchImage: the image a track pins, fetched by Nix blob by blob, each blob a fixed-output
# derivation whose hash is its registry digest, so no second hash is ever needed. The platform
# manifest comes from manifests.json and is checked here, at evaluation, against the pinned
# digest: the build fetches blobs only, never a manifest.
#
# Needs from the caller's pkgs: stdenvNoCC.mkDerivation, runCommand, writeShellScript, curl, jq,
# gnutar, coreutils, cacert (and lib.fetchers.proxyImpureEnvVars when present).
{
  prefix,
  lookup,
  parseReference,
  canonicalImage,
  manifests,
}:

let
  inherit (builtins)
    attrNames
    concatStringsSep
    elemAt
    fromJSON
    hasAttr
    hashString
    isString
    length
    listToAttrs
    map
    match
    replaceStrings
    substring
    toJSON
    ;
  quote = toJSON;

  imageManifestTypes = [
    "application/vnd.oci.image.manifest.v1+json"
    "application/vnd.docker.distribution.manifest.v2+json"
  ];

  # Docker Hub's blobs come from its API host; mirror.gcr.io caches Docker Hub's popular images
  # and is tried when Docker Hub fails (the digest check makes any source safe).
  defaultSources = registry: {
    "docker.io" = [
      "https://registry-1.docker.io"
      "https://mirror.gcr.io"
    ];
  }.${registry} or [ "https://${registry}" ];

  # Store path names allow [A-Za-z0-9+._?=-]; what an image name may hold besides becomes "-"
  # (an IPv6 registry's brackets are dropped).
  storeName =
    text:
    replaceStrings
      [ "/" ":" "@" "[" "]" ]
      [ "-" "-" "-" "" "" ]
      text;

  # "sha256:<64 hex>" or "sha512:<128 hex>" -> { algo; hex; }, null for anything else. Both are
  # hash algorithms Nix can check a fixed output with.
  splitDigest =
    d:
    let
      parts = if isString d then match "(sha256):([0-9a-f]{64})|(sha512):([0-9a-f]{128})" d else null;
    in
    if parts == null then
      null
    else if elemAt parts 0 != null then
      {
        algo = "sha256";
        hex = elemAt parts 1;
      }
    else
      {
        algo = "sha512";
        hex = elemAt parts 3;
      };
  validDigest = d: splitDigest d != null;
in
args:
let
  where = if (args.context or null) != null then "${args.context}: " else "";
  pkgs = args.pkgs or (throw "${prefix} ${where}fetchImage: missing pkgs (the nixpkgs whose curl, jq and tar fetch and pack the image)");
  reference = lookup "fetchImage" args;
  parsed = parseReference reference;
  canonical = canonicalImage parsed.name;
  split = match "([^/]+)/(.+)" canonical;
  registry = elemAt split 0;
  repository = elemAt split 1;
  loadsAs = "${canonical}:${parsed.tag}";
  pinned = splitDigest parsed.digest;
  inherit (pinned) hex;

  # Error messages name what the consumer asked for.
  asked = "image ${quote args.image} track ${quote (toString args.track)} platform ${
    quote (if (args.platform or null) != null then args.platform else args.system)
  }";

  entry =
    if hasAttr parsed.digest manifests then
      manifests.${parsed.digest}
    else
      throw "${prefix} ${where}manifests.json has no manifest for ${asked} (${parsed.digest}); fetchImage needs the manifest the updater publishes beside digests.json";
  text =
    if isString (entry.text or null) then
      entry.text
    else
      throw "${prefix} ${where}the manifests.json entry ${parsed.digest} for ${asked} has no text";
  textHash = hashString pinned.algo text;
  verifiedText =
    if textHash == hex then
      text
    else
      throw "${prefix} ${where}the manifests.json entry for ${asked} does not hash to its key ${parsed.digest} (its text hashes to ${pinned.algo}:${textHash}); manifests.json is stale or corrupt";
  manifest = fromJSON verifiedText;
  mediaType = manifest.mediaType or entry.mediaType or "";
  checkedManifest =
    if !(builtins.elem mediaType imageManifestTypes) then
      throw "${prefix} ${where}the manifest for ${asked} is a ${quote mediaType}, not an image manifest (${concatStringsSep " or " imageManifestTypes})"
    else if !(validDigest (manifest.config.digest or null)) then
      throw "${prefix} ${where}the manifest for ${asked} has no config digest sha256:<64 hex> or sha512:<128 hex>"
    else if builtins.any (l: !(validDigest (l.digest or null))) (manifest.layers or [ ]) then
      throw "${prefix} ${where}the manifest for ${asked} has a layer without a digest sha256:<64 hex> or sha512:<128 hex>"
    else
      manifest;

  sources = (args.sources or { }).${registry} or (defaultSources registry);
  # Checked before any derivation sees it: a Nix path would be copied into the store.
  netrcFile =
    if (args.netrcFile or null) == null then
      ""
    else if isString args.netrcFile then
      args.netrcFile
    else
      throw "${prefix} ${where}fetchImage: netrcFile must be a string (an absolute path read at build time), not a Nix path, which would copy the secret into the store";

  proxyVars =
    pkgs.lib.fetchers.proxyImpureEnvVars or [
      "http_proxy"
      "https_proxy"
      "ftp_proxy"
      "all_proxy"
      "no_proxy"
      "HTTP_PROXY"
      "HTTPS_PROXY"
      "FTP_PROXY"
      "ALL_PROXY"
      "NO_PROXY"
    ];

  # Named by digest only: the same blob from any image, track or registry is one store path.
  blob =
    descriptor:
    let
      inherit (descriptor) digest;
    in
    pkgs.stdenvNoCC.mkDerivation {
      name = "oci-blob-${storeName digest}";
      outputHashMode = "flat";
      outputHashAlgo = (splitDigest digest).algo;
      outputHash = (splitDigest digest).hex;
      nativeBuildInputs = [
        pkgs.curl
        pkgs.jq
        pkgs.coreutils
      ];
      inherit digest repository;
      # The manifest's size bounds what a source may send.
      size = if builtins.isInt (descriptor.size or null) then toString descriptor.size else "0";
      sources = concatStringsSep "\n" sources;
      inherit netrcFile;
      curlCaFile = "${args.cacert or pkgs.cacert}/etc/ssl/certs/ca-bundle.crt";
      impureEnvVars = proxyVars;
      preferLocalBuild = true;
      buildCommand = "( source ${./fetch-blob.sh} )";
    };

  config = checkedManifest.config;
  layers = checkedManifest.layers or [ ];
  blobPath =
    digest:
    let
      d = splitDigest digest;
    in
    "blobs/${d.algo}/${d.hex}";

  # One directory that is a docker-archive (manifest.json) and an OCI layout (oci-layout,
  # index.json, blobs/) at once: Docker 20.10 reads only the first, podman prefers the second
  # and then keeps the registry's manifest digest. Layers stay as fetched (compressed).
  dockerManifest = toJSON [
    {
      Config = blobPath config.digest;
      RepoTags = [ loadsAs ];
      Layers = map (l: blobPath l.digest) layers;
    }
  ];
  ociIndex = toJSON {
    schemaVersion = 2;
    mediaType = "application/vnd.oci.image.index.v1+json";
    manifests = [
      {
        inherit mediaType;
        digest = parsed.digest;
        size = builtins.stringLength verifiedText;
        annotations = {
          "io.containerd.image.name" = loadsAs;
          "org.opencontainers.image.ref.name" = loadsAs;
        };
      }
    ];
  };
  blobs = listToAttrs (
    map (d: {
      name = d.digest;
      value = blob d;
    }) ([ config ] ++ layers)
  );
  links = concatStringsSep "\n" (
    map (d: "mkdir -p $out/${dirOf (blobPath d)}; ln -s ${blobs.${d}} $out/${blobPath d}") (
      attrNames blobs
    )
  );
  baseName = storeName "${canonical}-${parsed.tag}-${substring 0 12 hex}";

  layout = pkgs.runCommand "oci-layout-${baseName}" {
    manifestText = verifiedText;
    inherit dockerManifest ociIndex;
    passAsFile = [
      "manifestText"
      "dockerManifest"
      "ociIndex"
    ];
  } ''
    mkdir -p $out/${dirOf (blobPath parsed.digest)}
    cp "$manifestTextPath" $out/${blobPath parsed.digest}
    cp "$dockerManifestPath" $out/manifest.json
    cp "$ociIndexPath" $out/index.json
    printf '{"imageLayoutVersion":"1.0.0"}' > $out/oci-layout
    ${links}
  '';

  tarFlags = "--dereference --sort=name --mtime=@1 --owner=0 --group=0 --numeric-owner --format=gnu";
  members = "oci-layout index.json manifest.json blobs";

  # Streams the archive from the layout: the image is in the store once, as its blobs.
  stream = pkgs.writeShellScript "stream-${baseName}" ''
    exec ${pkgs.gnutar}/bin/tar -C ${layout} ${tarFlags} -c ${members}
  '';
in
if length layers == 0 then
  throw "${prefix} ${where}the manifest for ${asked} has no layers"
else
  pkgs.runCommand "docker-image-${baseName}.tar"
    {
      nativeBuildInputs = [ pkgs.gnutar ];
      passthru = {
        inherit
          layout
          stream
          blobs
          reference
          ;
        imageName = loadsAs;
        configDigest = config.digest;
        manifestDigest = parsed.digest;
      };
    }
    ''
      tar -C ${layout} ${tarFlags} -cf $out ${members}
    ''
