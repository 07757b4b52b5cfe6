{ config, pkgs, ... }:

# Containers for the home server. Never run nginx:latest here; this comment is not a reference:
# image = "nginx:latest";
{
  imports = [ ./containers/postgres.nix ];

  virtualisation.oci-containers.backend = "podman";
  virtualisation.oci-containers.containers = {
    web = {
      image = "ghcr.io/acme/web:2.0.0@{{ghcr.io/acme/web:2.0.0}}";
      ports = [ "8080:80" ];
    };
    proxy = {
      image = "nginx:1.27.3"; # TODO pin
      environment.BANNER = "image = \"busybox:latest\";";
    };
    worker.image = "ghcr.io/acme/worker:1.4.0@{{ghcr.io/acme/worker:1.4.0 old}}";
    /* retired.image = "redis:latest"; */
  };

  environment.etc."motd".text = ''
    image = "alpine:latest"; is text in an indented string, not a container.
  '';
}
