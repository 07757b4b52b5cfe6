# Evaluation-only checks for `nix flake check` (the lib, digests.json and manifests.json): they run while the flake is evaluated and need no
# build (a plain Debian nix-bin cannot build without a nixbld group), so each system's check set
# is an empty attrset that is only returned when every assertion holds.
lib:

let
  inherit (builtins)
    all
    attrNames
    concatLists
    concatStringsSep
    filter
    isAttrs
    map
    tryEval
    ;

  fixture = lib.withHashes {
    "docker.io/nextcloud" = {
      "30" = {
        "linux/amd64" = "docker.io/nextcloud:30.0.4@sha256:${hexA}";
        "linux/arm64" = "docker.io/nextcloud:30.0.4@sha256:${hexB}";
      };
      "latest" = {
        "linux/amd64" = "docker.io/nextcloud:30.0.4@sha256:${hexA}";
      };
    };
    "registry.example.com:5000/team/app" = {
      "1.2" = {
        "linux/arm/v7" = "registry.example.com:5000/team/app:1.2.3@sha256:${hexC}";
      };
    };
  };
  hexA = "1111111111111111111111111111111111111111111111111111111111111111";
  hexB = "2222222222222222222222222222222222222222222222222222222222222222";
  hexC = "3333333333333333333333333333333333333333333333333333333333333333";

  fails = expr: !(tryEval expr).success;

  cases = {
    platformOf =
      lib.platformOf "x86_64-linux" == "linux/amd64" && lib.platformOf "armv7l-linux" == "linux/arm/v7";
    platformOfUnknown = fails (lib.platformOf "x86_64-darwin");
    image =
      fixture.image {
        image = "docker.io/nextcloud";
        track = "30";
        system = "aarch64-linux";
      } == "docker.io/nextcloud:30.0.4@sha256:${hexB}";
    imageByPlatform =
      fixture.image {
        image = "registry.example.com:5000/team/app";
        track = "1.2";
        platform = "linux/arm/v7";
      } == "registry.example.com:5000/team/app:1.2.3@sha256:${hexC}";
    imageMissingImage = fails (
      fixture.image {
        image = "docker.io/nope";
        track = "30";
        system = "x86_64-linux";
      }
    );
    imageMissingTrack = fails (
      fixture.image {
        image = "docker.io/nextcloud";
        track = "29";
        system = "x86_64-linux";
      }
    );
    imageMissingPlatform = fails (
      fixture.image {
        image = "docker.io/nextcloud";
        track = "latest";
        system = "aarch64-linux";
      }
    );
    imageSpellings = all (
      image:
      fixture.image {
        inherit image;
        track = 30;
        system = "aarch64-linux";
      } == "docker.io/nextcloud:30.0.4@sha256:${hexB}"
    ) [ "nextcloud" "library/nextcloud" "docker.io/library/nextcloud" "index.docker.io/nextcloud" ];
    imageUnpinned = fails (
      (lib.withHashes { a."1"."linux/amd64" = "a:1"; }).image {
        image = "a";
        track = "1";
        platform = "linux/amd64";
      }
    );
    parseReferenceShortDigest = fails (lib.parseReference "a:1@sha256:ab");
    forSystem = fixture.forSystem "aarch64-linux" == {
      "docker.io/nextcloud"."30" = "docker.io/nextcloud:30.0.4@sha256:${hexB}";
    };
    parseReference =
      lib.parseReference "registry.example.com:5000/team/app:1.2.3@sha256:${hexC}" == {
        name = "registry.example.com:5000/team/app";
        tag = "1.2.3";
        digest = "sha256:${hexC}";
      };
    parseReferenceIpv6Sha512 =
      lib.parseReference "[fd00::5]:5000/team/app:1.2.3@sha512:${hexC}${hexC}" == {
        name = "[fd00::5]:5000/team/app";
        tag = "1.2.3";
        digest = "sha512:${hexC}${hexC}";
      };
    parseReferenceUntagged = lib.parseReference "registry.example.com:5000/team/app" == {
      name = "registry.example.com:5000/team/app";
      tag = null;
      digest = null;
    };
    pullImageArgs =
      fixture.pullImageArgs {
        image = "registry.example.com:5000/team/app";
        track = "1.2";
        system = "armv7l-linux";
      } == {
        imageName = "registry.example.com:5000/team/app";
        imageDigest = "sha256:${hexC}";
        finalImageTag = "1.2.3";
        os = "linux";
        arch = "arm";
        name = "docker-image-registry.example.com-5000-team-app-1.2.3-${builtins.substring 0 12 hexC}.tar";
      };
  };

  failedCases = filter (name: !cases.${name}) (attrNames cases);

  # Every entry of the flake's own digests.json must be in the grammar the updater writes: an
  # image name, a tag as track, an os/arch[/variant] platform and a pinned reference.
  entries = concatLists (
    map (
      image:
      concatLists (
        map (
          track:
          map (platform: {
            inherit image track platform;
            reference = lib.ociHashes.${image}.${track}.${platform};
          }) (attrNames lib.ociHashes.${image}.${track})
        ) (attrNames lib.ociHashes.${image})
      )
    ) (attrNames lib.ociHashes)
  );
  entryOk =
    e:
    lib.isImageKey e.image
    && lib.isTrackKey e.track
    && lib.isPlatformKey e.platform
    && lib.isPinnedReference e.reference;
  badEntries = filter (e: !(entryOk e)) entries;
  shapeOk =
    isAttrs lib.ociHashes
    && all (image: isAttrs lib.ociHashes.${image}) (attrNames lib.ociHashes)
    && all (
      image: all (track: isAttrs lib.ociHashes.${image}.${track}) (attrNames lib.ociHashes.${image})
    ) (attrNames lib.ociHashes);
  # Every manifests.json entry must be keyed by the digest of its own text.
  badManifests = filter (
    digest:
    let
      entry = lib.ociManifests.${digest};
      hex = builtins.match "sha256:([0-9a-f]{64})" digest;
    in
    hex == null
    || !(isAttrs entry)
    || !(builtins.isString (entry.text or null))
    || builtins.hashString "sha256" entry.text != builtins.head hex
  ) (attrNames lib.ociManifests);
in
if failedCases != [ ] then
  throw "nix-oci-hashes: lib self-test failed: ${concatStringsSep ", " failedCases}"
else if !shapeOk then
  throw "nix-oci-hashes: digests.json must have the shape image -> track -> platform -> reference"
else if badEntries != [ ] then
  throw "nix-oci-hashes: digests.json has malformed entries (each needs an image name, a tag as track, an os/arch platform and a name:tag@sha256:<64 hex digits> or @sha512:<128 hex digits> reference): ${
    concatStringsSep "; " (map (e: "${e.image} ${e.track} ${e.platform}") badEntries)
  }"
else if badManifests != [ ] then
  throw "nix-oci-hashes: manifests.json has entries whose text does not hash to their key (each is sha256:<64 hex> -> { mediaType; text; }): ${concatStringsSep ", " badManifests}"
else
  { }
