{ pkgs, ... }:
{
  virtualisation.oci-containers.containers.db = {
    image = "postgres:16.4";
    imageFile = pkgs.dockerTools.pullImage {
      imageName = "postgres";
      imageDigest = "{{postgres:16.4 linux/arm64}}";
      finalImageTag = "16.4";
      os = "linux";
      arch = "arm64";
      sha256 = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    };
  };
}
