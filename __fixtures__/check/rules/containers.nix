{ ... }:
{
  virtualisation.oci-containers.containers = {
    a.image = "nginx";
    b.image = "nginx:latest";
    c.image = "nginx:latest@{{nginx:latest}}";
    d.image = "ghcr.io/acme/single@{{ghcr.io/acme/single:1.0.0}}";
    e.image = "ghcr.io/Acme/Web:2.0.0";
    f.image = "ghcr.io/acme/gone:1.0.0";
    g.image = "ghcr.io/acme/api:3.1.0@{{ghcr.io/acme/api:3.1.0 deleted}}";
    h.image = "ghcr.io/acme/worker:1.4.0@{{ghcr.io/acme/worker:1.4.0 old}}";
    i.image = "127.0.0.1:1/nothing/here:1.0";
    j.image = "busybox:1.36.1@{{busybox:1.36.1}}";
    k.image = "${registry}/app:1.0"; # an expression, not checked
  };
}
