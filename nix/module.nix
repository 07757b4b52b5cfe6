# nixosModules.default: `imageTrack = { image; track; }` on every
# virtualisation.oci-containers.containers.<name>, resolved for the host's platform.
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
    { name, config, ... }:
    let
      track = config.imageTrack;
      args = argsFor name track;
      pull = cfg.lib.pullImageArgs args;
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
        (lib.mkIf (track != null && track.pullImageHash == null) { image = cfg.lib.image args; })
        (lib.mkIf (track != null && track.pullImageHash != null) {
          # pullImageArgs puts the digest into the tarball's name (see lib.nix).
          imageFile = pkgs.dockerTools.pullImage (pull // { sha256 = track.pullImageHash; });
          image = "${pull.imageName}:${pull.finalImageTag}";
        })
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
        default = flakeLib.withHashes cfg.digests;
        defaultText = lib.literalExpression "nix-oci-hashes.lib.withHashes config.nix-oci-hashes.digests";
        description = "The flake's lib over `digests`, for lookups of your own.";
      };
    };
    virtualisation.oci-containers.containers = mkOption {
      type = types.attrsOf (types.submodule containerModule);
    };
  };
}
