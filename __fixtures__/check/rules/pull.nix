{ pkgs }:
{
  postgres = pkgs.dockerTools.pullImage {
    imageName = "postgres";
    imageDigest = "{{postgres:16.4}}";
    finalImageTag = "16.4";
    arch = "amd64";
    sha256 = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  };
  untagged = pkgs.dockerTools.pullImage {
    imageName = "ghcr.io/acme/single";
    imageDigest = "{{ghcr.io/acme/single:1.0.0}}";
    hash = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  };
}
