# nixosModules.default: `imageTrack = { image; track; }` on every
# virtualisation.oci-containers.containers.<name>, resolved for the host's platform; with
# `fetch`, Nix fetches the image itself (lib.fetchImage) and the service never pulls.
#
#   import ./nix/module.nix flakeLib   (the flake's lib; its ociHashes are the default digests)
flakeLib:
{
  config,
  lib,
  pkgs,
  ...
}:

let
  inherit (lib) mkOption types;
  cfg = config.nix-oci-hashes;
  containerPath = name: "virtualisation.oci-containers.containers.${name}";

  # One lookup per container, with the option path leading every error message.
  argsFor = name: track: {
    inherit (track) image track;
    platform = cfg.platform;
    context = "${containerPath name}.imageTrack";
  };

  trackModule =
    { ... }:
    {
      options = {
        image = mkOption {
          type = types.str;
          example = "ghcr.io/open-webui/open-webui";
          description = "The image as any spelling Docker accepts (`nextcloud`, `docker.io/library/nextcloud`, the digests.json key).";
        };
        track = mkOption {
          type = types.coercedTo types.int toString types.str;
          example = "0.6";
          description = "The track key in digests.json (`30`, `30.0`, `latest`); an integer is taken as its string.";
        };
        fetch = mkOption {
          type = types.nullOr types.bool;
          default = null;
          example = true;
          description = ''
            Fetch the image at build time with `lib.fetchImage`: every blob is a fixed-output
            derivation whose hash is the registry's own digest, the platform manifest comes from
            manifests.json, and the container loads the image from the Nix store with
            `pull = "never"`, so the service starts without contacting any registry.
            `null` takes `nix-oci-hashes.fetch`.
          '';
        };
        pullImageHash = mkOption {
          type = types.nullOr types.str;
          default = null;
          example = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
          description = ''
            When set, Nix fetches the image at build time with `pkgs.dockerTools.pullImage`
            (this is the hash of the fetched tarball, passed as `sha256`, which nixpkgs 24.11 and
            later all accept) and the container runs the loaded image instead of pulling it.
          '';
        };
      };
    };

  containerModule =
    {
      name,
      config,
      options,
      ...
    }:
    let
      track = config.imageTrack;
      args = argsFor name track;
      pull = cfg.lib.pullImageArgs args;
      pulled = track != null && track.pullImageHash != null;
      # The module-wide default leaves containers with a pullImageHash to dockerTools.
      fetch = track != null && (if track.fetch == null then cfg.fetch && !pulled else track.fetch);
      # The image's tools run where it is built, which is the build platform's pkgs.
      fetched = cfg.lib.fetchImage (
        args
        // {
          pkgs = pkgs.buildPackages or pkgs;
          inherit (cfg) sources netrcFile;
        }
        // lib.optionalAttrs (cfg.cacert != null) { inherit (cfg) cacert; }
      );
      stream = cfg.fetchInto == "stream" && options ? imageStream;
    in
    {
      options.imageTrack = mkOption {
        type = types.nullOr (types.submodule trackModule);
        default = null;
        example = {
          image = "ghcr.io/open-webui/open-webui";
          track = "0.6";
        };
        description = "Run the image that digests.json pins for this track on the host's platform.";
      };
      config = lib.mkMerge [
        (lib.mkIf (track != null && !fetch && !pulled) { image = cfg.lib.image args; })
        (lib.mkIf (pulled && !fetch) {
          # pullImageArgs puts the digest into the tarball's name (see lib.nix).
          imageFile = pkgs.dockerTools.pullImage (pull // { sha256 = track.pullImageHash; });
          image = "${pull.imageName}:${pull.finalImageTag}";
        })
        (lib.mkIf (fetch && pulled) {
          image = throw "nix-oci-hashes: ${containerPath name}.imageTrack: fetch and pullImageHash both fetch the image; set only one (fetch needs no hash)";
        })
        (lib.mkIf (fetch && !pulled) (
          {
            image = fetched.imageName;
          }
          // (if stream then { imageStream = fetched.stream; } else { imageFile = fetched; })
          // lib.optionalAttrs (options ? pull) { pull = "never"; }
        ))
      ];
    };
in
{
  options = {
    nix-oci-hashes = {
      digests = mkOption {
        type = types.attrsOf (types.attrsOf (types.attrsOf types.str));
        default = flakeLib.ociHashes;
        defaultText = lib.literalExpression "nix-oci-hashes.ociHashes";
        description = "image -> track -> platform -> reference, e.g. another digests flake's `ociHashes`.";
      };
      manifests = mkOption {
        type = types.attrsOf (types.attrsOf types.str);
        default = flakeLib.ociManifests;
        defaultText = lib.literalExpression "nix-oci-hashes.ociManifests";
        description = "platform-manifest digest -> { mediaType; text; }, what `fetch` builds images from (another digests flake's `ociManifests`).";
      };
      fetch = mkOption {
        type = types.bool;
        default = false;
        example = true;
        description = "The default of every container's `imageTrack.fetch`: build its image into the Nix store instead of pulling it at service start.";
      };
      fetchInto = mkOption {
        type = types.enum [
          "stream"
          "file"
        ];
        default = "stream";
        description = ''
          With `fetch`: `stream` sets the container's `imageStream` to a script that writes the
          archive from the blobs in the store (no second copy of the image), where the
          oci-containers module has that option; `file` sets `imageFile` to the archive itself.
        '';
      };
      sources = mkOption {
        type = types.attrsOf (types.listOf types.str);
        default = { };
        example = {
          "docker.io" = [
            "http://registry-cache.lan:5000"
            "https://registry-1.docker.io"
            "https://mirror.gcr.io"
          ];
        };
        description = ''
          With `fetch`: registry -> the base URLs (`scheme://host[:port][/path prefix]`) to fetch
          its blobs from, tried in order. A registry not listed is fetched from
          `https://<registry>` (Docker Hub: registry-1.docker.io, then mirror.gcr.io). Every
          blob is checked against its digest, so a mirror or pull-through cache needs no trust.
        '';
      };
      netrcFile = mkOption {
        type = types.nullOr types.str;
        default = null;
        example = "/etc/nix/oci-registries.netrc";
        description = ''
          With `fetch`: a netrc file (read by curl at build time, never copied into the store)
          with the credentials for a private registry or its token service. With the Nix
          sandbox on, add it to `nix.settings.extra-sandbox-paths` and make it readable by the
          build users.
        '';
      };
      cacert = mkOption {
        type = types.nullOr types.package;
        default = null;
        defaultText = lib.literalExpression "pkgs.cacert";
        example = lib.literalExpression ''pkgs.cacert.override { extraCertificateFiles = [ ./registry-ca.pem ]; }'';
        description = "With `fetch`: the CA bundle (its `etc/ssl/certs/ca-bundle.crt`) that registries' TLS certificates are checked against, e.g. with a private registry's own CA added.";
      };
      platform = mkOption {
        type = types.str;
        default = flakeLib.platformOf pkgs.stdenv.hostPlatform.system;
        defaultText = lib.literalExpression "nix-oci-hashes.lib.platformOf pkgs.stdenv.hostPlatform.system";
        example = "linux/arm/v7";
        description = "The OCI platform whose images the containers run.";
      };
      lib = mkOption {
        type = types.raw;
        readOnly = true;
        default = flakeLib.withData { inherit (cfg) digests manifests; };
        defaultText = lib.literalExpression "nix-oci-hashes.lib.withData { inherit (config.nix-oci-hashes) digests manifests; }";
        description = "The flake's lib over `digests` and `manifests`, for lookups of your own.";
      };
    };
    virtualisation.oci-containers.containers = mkOption {
      type = types.attrsOf (types.submodule containerModule);
    };
  };
}
