{
  description = "Per-platform OCI image references (name:tag@sha256:...) for NixOS oci-containers, kept current by nix-oci-hashes";

  # No inputs on purpose: the flake is data plus builtins-only helpers, so it evaluates offline
  # and adds nothing to a consumer's lock file but itself. fetchImage takes the caller's pkgs.
  outputs =
    { self }:
    let
      # Only digests.json and manifests.json are read; the updater's digests.state.json never
      # reaches an output.
      ociHashes = builtins.fromJSON (builtins.readFile ./digests.json);
      ociManifests =
        if builtins.pathExists ./manifests.json then
          builtins.fromJSON (builtins.readFile ./manifests.json)
        else
          { };
      lib = import ./nix/lib.nix {
        digests = ociHashes;
        manifests = ociManifests;
      };
      selfTest = import ./nix/checks.nix lib;
    in
    {
      inherit ociHashes ociManifests lib;

      # `imageTrack = { image; track; }` on every oci-containers container, for the host's platform.
      nixosModules.default = import ./nix/module.nix lib;

      # Evaluation-only: `nix flake check` forces these attrsets, which runs the lib's self-tests
      # and validates digests.json; there is nothing to build.
      checks = builtins.listToAttrs (
        map (system: {
          name = system;
          value = selfTest;
        }) lib.systems
      );
    };
}
