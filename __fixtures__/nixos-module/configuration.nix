# Three containers as a new user writes them: the host's platform is picked by the module.
{ ... }:
{
  virtualisation.oci-containers.backend = "podman";
  virtualisation.oci-containers.containers = {
    # A Docker Hub official image in its shortest spelling, the track as a number.
    nextcloud = {
      imageTrack = {
        image = "nextcloud";
        track = 30;
      };
      ports = [ "8080:80" ];
    };
    db.imageTrack = {
      image = "postgres";
      track = "16";
    };
    homeassistant.imageTrack = {
      image = "ghcr.io/home-assistant/home-assistant";
      track = "stable";
    };
    # Containers without imageTrack are left alone.
    proxy.image = "docker.io/library/nginx:1.27";
  };
}
