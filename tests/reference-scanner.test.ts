import { parseReferenceText } from '../src/check/image-reference-text.js'
import { ScanError, scanText, type FoundReference } from '../src/check/reference-scanner.js'
import { templateMarker } from '../src/check/scanners/yaml-template.js'
import { fileKindOf } from '../src/check/source-files.js'

const D1 = `sha256:${'1'.repeat(64)}`
const D2 = `sha256:${'2'.repeat(64)}`

/** value @line[:platform], plus a check that the offsets hold exactly the value. */
function summary(text: string, found: FoundReference[]): string[] {
  return found.map((ref) => {
    if (ref.editable) expect(text.slice(ref.start, ref.end)).toBe(ref.value)
    const how = ref.unresolved ? ' (skipped)' : ref.via ? ` (${ref.via})` : ' (read-only)'
    return `${ref.value} @${ref.line}${ref.platform ? ` ${ref.platform}` : ''}${ref.editable ? '' : how}`
  })
}

const scan = (
  kind: Parameters<typeof scanText>[0],
  text: string,
  env?: Parameters<typeof scanText>[2]
): string[] => summary(text, scanText(kind, text, env))

describe('parseReferenceText', () => {
  test('Docker Hub names, registries with ports, tags and digests', () => {
    expect(parseReferenceText('nginx')).toMatchObject({
      name: 'nginx',
      image: { registry: 'docker.io', repository: 'library/nginx' }
    })
    expect(parseReferenceText(`docker.io/library/nginx:1.27@${D1}`)).toMatchObject({
      name: 'docker.io/library/nginx',
      tag: '1.27',
      digest: D1,
      image: { registry: 'docker.io', repository: 'library/nginx' }
    })
    expect(parseReferenceText('localhost:5000/team/app:v2')).toMatchObject({
      tag: 'v2',
      image: { registry: 'localhost:5000', repository: 'team/app' }
    })
    expect(parseReferenceText(`ghcr.io/org/app@${D2}`)).toMatchObject({
      digest: D2,
      image: { registry: 'ghcr.io', repository: 'org/app' }
    })
    expect(parseReferenceText('linuxserver/sonarr:4.0.10.2544-ls250').image.repository).toBe(
      'linuxserver/sonarr'
    )
    expect(parseReferenceText('linuxserver/sonarr').tag).toBeUndefined()
  })

  test('rejects what a registry would', () => {
    expect(() => parseReferenceText('Nginx:1')).toThrow(/path component "Nginx"/)
    expect(() => parseReferenceText('nginx:1@sha256:abc')).toThrow(/not a sha256 or sha512/)
    expect(() => parseReferenceText('nginx:-bad')).toThrow(/not a valid tag/)
    expect(() => parseReferenceText('')).toThrow(/empty/)
  })
})

describe('fileKindOf', () => {
  test.each([
    ['configuration.nix', 'nix'],
    ['Dockerfile', 'dockerfile'],
    ['Dockerfile.prod', 'dockerfile'],
    ['Containerfile', 'dockerfile'],
    ['api.Dockerfile', 'dockerfile'],
    ['docker-compose.yml', 'compose'],
    ['compose.prod.yaml', 'compose'],
    ['deployment.yaml', 'kubernetes'],
    ['pnpm-lock.yaml', null],
    ['README.md', null],
    ['flake.lock', null]
  ])('%s → %s', (name, kind) => {
    expect(fileKindOf(name)).toBe(kind)
  })
})

describe('Nix', () => {
  test('image bindings: attribute paths, let, and nothing in comments or other strings', () => {
    const text = [
      '{ image ? "default:1.0", ... }:', // a function argument default
      'let image = "alpine:3.20"; in {',
      '  # image = "commented:1";',
      '  /* image = "block:1";',
      '     image = "still-block:1"; */',
      '  virtualisation.oci-containers.containers.web.image = "nginx:1.27";',
      '  app = { image = "ghcr.io/org/app:2@' + D1 + '"; };',
      '  note = "image = \\"escaped:1\\";";',
      "  text = ''",
      '    image = "indented:1";',
      "  '';",
      '  interpolated.image = "${registry}/app:1";',
      '  wrapped.image = "x:${v}";',
      '  comparison = image == "notbound:1";',
      '  myimage = "other:1";',
      '}'
    ].join('\n')
    expect(scan('nix', text)).toEqual([
      'alpine:3.20 @2',
      'nginx:1.27 @6',
      `ghcr.io/org/app:2@${D1} @7`,
      '${registry}/app:1 @12 (skipped)',
      'x:${v} @13 (skipped)'
    ])
  })

  test('${name} bound to a literal by let or by the enclosing set resolves, several per string', () => {
    const text = [
      '{ lib, ... }:',
      'let',
      '  version = "1.26.1";',
      '  owner = "gitea"; tag = lib.mkDefault "x";',
      'in {',
      '  a.image = "docker.io/${owner}/gitea:${version}";',
      '  b = rec { version = "2.0"; image = "app:${ version }"; };',
      '  c.image = "app:${tag}";',
      '  d.image = "app:${toString version}";',
      '  e.image = "app:\\${version}";',
      '}'
    ].join('\n')
    expect(scan('nix', text)).toEqual([
      'docker.io/gitea/gitea:1.26.1 @6 (owner = "gitea" at line 4, version = "1.26.1" at line 3)',
      'app:2.0 @7 (version = "2.0" at line 7)',
      'app:${tag} @8 (skipped)',
      'app:${toString version} @9 (skipped)',
      'app:\\${version} @10 (skipped)'
    ])
  })

  test('strings with interpolation that contain braces and quotes do not derail the lexer', () => {
    const text = [
      '{',
      '  a = "${ { x = "}"; }.x }";',
      "  b = ''${ \"''\" }'';",
      '  c.image = "redis:7";',
      '}'
    ].join('\n')
    expect(scan('nix', text)).toEqual(['redis:7 @4'])
  })

  test('an image with an imageFile is a local name, not a registry reference', () => {
    const text = [
      '{',
      '  containers.db = {',
      '    image = "postgres:16";',
      '    imageFile = pkgs.dockerTools.pullImage { imageName = "postgres"; imageDigest = "' +
        D1 +
        '"; finalImageTag = "16"; sha256 = ""; };',
      '  };',
      '  containers.web.image = "nginx:1";',
      '  containers.web2.image = "nginx:2";',
      '  containers.web2.imageFile = ./web.tar;',
      '}'
    ].join('\n')
    expect(scan('nix', text)).toEqual([`postgres:16@${D1} @4 (read-only)`, 'nginx:1 @6'])
  })

  test('our own API is pinned by construction: imageTrack and lib calls carry the track', () => {
    const text = [
      '{ nix-oci-hashes, inputs, pkgs, ... }: {',
      '  virtualisation.oci-containers.containers.nextcloud.imageTrack = {',
      '    image = "nextcloud"; # the README shape',
      '    track = "30";',
      '  };',
      '  db.imageTrack = { image = "postgres"; track = 16; pullImageHash = null; };',
      '  a.image = nix-oci-hashes.lib.image { image = "docker.io/nextcloud"; track = "30.0"; };',
      '  b = inputs.nix-oci-hashes.lib.pullImageArgs { image = "redis"; track = "7"; };',
      '  c = self.lib.fetchImage { image = "ghcr.io/org/app"; track = "latest"; sha256 = ""; };',
      '  d = nix-oci-hashes.lib.pullImageArgs { reference = "app:1.4.2@' + D1 + '"; };',
      '  e.imageTrack.image = "split";',
      '  e.imageTrack.track = "2";',
      '  f = nix-oci-hashes.lib.image { inherit image; track = version; };',
      '  g.image = "nginx";',
      '  h = fixture.image { image = "docker.io/nope"; track = "30"; };',
      '  options.x = mkOption { example = { image = "ghcr.io/open-webui/open-webui"; track = "0.6"; }; };',
      '}'
    ].join('\n')
    const found = scanText('nix', text)
    expect(summary(text, found)).toEqual([
      'nextcloud:30 @3 (read-only)',
      'postgres:16 @6 (read-only)',
      'docker.io/nextcloud:30.0 @7 (read-only)',
      'redis:7 @8 (read-only)',
      'ghcr.io/org/app:latest @9 (read-only)',
      `app:1.4.2@${D1} @10`,
      'split:2 @11 (read-only)',
      'nginx @14',
      'docker.io/nope:30 @15 (read-only)',
      'ghcr.io/open-webui/open-webui:0.6 @16 (read-only)'
    ])
    expect(
      found.map((ref) => ref.track && `${ref.context} ${ref.track.image} ${ref.track.track}`)
    ).toEqual([
      'imageTrack nextcloud 30',
      'imageTrack postgres 16',
      'lib.image docker.io/nextcloud 30.0',
      'lib.pullImageArgs redis 7',
      'lib.fetchImage ghcr.io/org/app latest',
      undefined,
      'imageTrack split 2',
      undefined,
      'lib.image docker.io/nope 30',
      'imageTrack ghcr.io/open-webui/open-webui 0.6'
    ])
  })

  test('pullImage: the reference from its arguments, the platform from os/arch', () => {
    const text = [
      'dockerTools.pullImage {',
      '  imageName = "ghcr.io/org/app";',
      '  imageDigest = "' + D2 + '";',
      '  finalImageTag = "1.2.3";',
      '  arch = "aarch64";',
      '  sha256 = "sha256-AAA=";',
      '}'
    ].join('\n')
    const found = scanText('nix', text)
    expect(summary(text, found)).toEqual([`ghcr.io/org/app:1.2.3@${D2} @2 linux/arm64 (read-only)`])
    expect(found[0]!.digestLine).toBe(3)
    // Not literal: skipped rather than guessed.
    expect(scan('nix', 'pullImage { imageName = name; imageDigest = "' + D1 + '"; }')).toEqual([])
  })
})

describe('Dockerfile', () => {
  test('FROM with --platform, stages, scratch, continuations, comments and here-documents', () => {
    const text = [
      '# syntax=docker/dockerfile:1',
      '# FROM commented:1',
      'FROM --platform=linux/arm64/v8 golang:1.23 AS build',
      'RUN <<EOF',
      'FROM inside-heredoc:1',
      'EOF',
      'FROM build AS test',
      'FROM scratch',
      'from \\',
      '  # a comment inside the instruction',
      '  --platform=$BUILDPLATFORM \\',
      '  alpine:3.20',
      'COPY --from=build /a /b',
      'COPY --from=nginx:1.27 /etc/nginx /etc/nginx',
      'COPY --from=0 /x /y',
      'FROM ${BASE}:1',
      'FROM --platform=linux/arm/v7 debian:12@' + D1
    ].join('\r\n')
    expect(scan('dockerfile', text)).toEqual([
      'docker/dockerfile:1 @1',
      'golang:1.23 @3 linux/arm64',
      'alpine:3.20 @12',
      'nginx:1.27 @14',
      '${BASE}:1 @16 (skipped)',
      `debian:12@${D1} @17 linux/arm/v7`
    ])
  })

  test('ARG defaults before the first FROM resolve FROM lines; later ARGs do not', () => {
    const text = [
      'ARG NGINX_VERSION=1.28.2',
      'ARG FLAVOUR="alpine"',
      'FROM nginx:${NGINX_VERSION}-${FLAVOUR} AS web',
      'ARG LATE=1',
      'FROM busybox:$LATE',
      'FROM redis:${MISSING:-7.4}',
      'FROM ${NGINX_VERSION:+web}'
    ].join('\n')
    expect(scan('dockerfile', text)).toEqual([
      'nginx:1.28.2-alpine @3 (NGINX_VERSION from ARG NGINX_VERSION at line 1, FLAVOUR from ARG FLAVOUR at line 2)',
      'busybox:$LATE @5 (skipped)',
      'redis:7.4 @6 (the default in ${MISSING:-…})'
    ])
  })

  test('ARG chains, docker-bake.hcl defaults, and what an unset ARG is named as', () => {
    const text = [
      '# syntax = docker/dockerfile:1.7@' + D1,
      'ARG CONTAINER_APP_VERSION=v3.9.1',
      'ARG NGINX_VERSION=${CONTAINER_APP_VERSION}',
      'ARG FROM_BAKE',
      'ARG NONE',
      'ARG CHAINED=${NONE}-alpine',
      'FROM ghcr.io/org/app:${NGINX_VERSION}',
      'FROM redis:${FROM_BAKE}',
      'FROM busybox:${NONE}',
      'FROM alpine:${CHAINED}',
      'FROM debian:${NEVER_DECLARED}'
    ].join('\n')
    const bake = (name: string) =>
      name === 'FROM_BAKE'
        ? { value: '7.4.1', where: 'variable FROM_BAKE in docker-bake.hcl:2' }
        : undefined
    const found = scanText('dockerfile', text, bake)
    expect(summary(text, found)).toEqual([
      `docker/dockerfile:1.7@${D1} @1`,
      'ghcr.io/org/app:v3.9.1 @7 (NGINX_VERSION from ARG NGINX_VERSION at line 3 (CONTAINER_APP_VERSION from ARG CONTAINER_APP_VERSION at line 2))',
      'redis:7.4.1 @8 (FROM_BAKE from ARG FROM_BAKE at line 4, variable FROM_BAKE in docker-bake.hcl:2)',
      'busybox:${NONE} @9 (skipped)',
      'alpine:${CHAINED} @10 (skipped)',
      'debian:${NEVER_DECLARED} @11 (skipped)'
    ])
    expect(found.filter((ref) => ref.unresolved).map((ref) => ref.unresolved)).toEqual([
      'ARG NONE at line 5 has no default',
      'ARG CHAINED at line 6 defaults to ${NONE}-alpine, and ARG NONE at line 5 has no default',
      '$NEVER_DECLARED is not declared by an ARG before the first FROM'
    ])
    // A syntax line after the first instruction is a comment.
    expect(scan('dockerfile', 'FROM alpine:3.20\n# syntax=docker/dockerfile:1\n')).toEqual([
      'alpine:3.20 @1'
    ])
  })

  test('the escape parser directive', () => {
    const text = ['# escape=`', 'FROM `', '  mcr.microsoft.com/windows/servercore:ltsc2022'].join(
      '\n'
    )
    expect(scan('dockerfile', text)).toEqual(['mcr.microsoft.com/windows/servercore:ltsc2022 @3'])
  })
})

describe('YAML', () => {
  test('compose: service images with their platform, quoted or not', () => {
    const text = [
      'x-common: &common',
      '  image: not-a-service:1',
      'services:',
      '  web:',
      '    image: "nginx:1.27"',
      '    platform: linux/arm64',
      "  db: { image: 'postgres:16' }",
      '  built:',
      '    build: .',
      '  escaped:',
      '    image: "redis\\u003a7"',
      '  env:',
      '    image: ${IMAGE}',
      '    environment:',
      '      image: "nested:1"'
    ].join('\n')
    expect(scan('compose', text)).toEqual([
      'nginx:1.27 @5 linux/arm64',
      'postgres:16 @7',
      'redis:7 @11 (read-only)',
      '${IMAGE} @13 (skipped)'
    ])
  })

  test('compose: ${VAR}, ${VAR:-default} and ${VAR-default} from the .env values given', () => {
    const text = [
      'services:',
      '  a: { image: "${IMAGE}" }',
      '  b: { image: "redis:${TAG:-7.4}" }',
      '  c: { image: "redis:${EMPTY:-7.2}" }',
      '  d: { image: "redis:${EMPTY-7.0}" }',
      '  e: { image: "redis:${UNSET}" }'
    ].join('\n')
    const env = { IMAGE: 'nginx:1.27', EMPTY: '' } as Record<string, string>
    const lookup = (name: string) =>
      name in env
        ? { value: env[name]!, where: `.env:${Object.keys(env).indexOf(name) + 1}` }
        : undefined
    expect(scan('compose', text, lookup)).toEqual([
      'nginx:1.27 @2 (IMAGE from .env:1)',
      'redis:7.4 @3 (the default in ${TAG:-…})',
      'redis:7.2 @4 (the default in ${EMPTY:-…})',
      'redis: @5 (EMPTY from .env:2)',
      'redis:${UNSET} @6 (skipped)'
    ])
  })

  test('kubernetes: every image in every document, nodeSelector names the platform', () => {
    const text = [
      '\xef\xbb\xbfapiVersion: batch/v1',
      'kind: CronJob',
      'spec:',
      '  jobTemplate:',
      '    spec:',
      '      template:',
      '        spec:',
      '          nodeSelector:',
      '            kubernetes.io/arch: arm64',
      '          initContainers: [{ name: a, image: busybox:1.36 }]',
      '          containers:',
      '            - name: b',
      '              image: ghcr.io/org/job:3 # comment',
      '---',
      '# image: commented:1',
      'apiVersion: v1',
      'kind: ConfigMap',
      'data:',
      '  note: "image: not-a-key:1"',
      '---',
      'apiVersion: v1',
      'kind: Pod',
      'spec:',
      '  containers:',
      '    - image: nginx:1.27'
    ].join('\n')
    expect(scan('kubernetes', text)).toEqual([
      'busybox:1.36 @10 linux/arm64',
      'ghcr.io/org/job:3 @13 linux/arm64',
      'nginx:1.27 @25'
    ])
    // An image: that is not a container's (Flux's ImageRepository) is not a reference.
    expect(
      scan(
        'kubernetes',
        'apiVersion: image.toolkit.fluxcd.io/v1beta2\nkind: ImageRepository\nspec:\n  image: ghcr.io/org/app\n'
      )
    ).toEqual([])
    // YAML that is not a manifest is read for the shapes that name images, and only those.
    expect(scan('kubernetes', 'name: data\nitems: [{ name: nginx:1 }, { logo: a.png }]\n')).toEqual(
      []
    )
  })

  test('Helm values: image mappings with registry, tag and digest, and where pin writes the digest', () => {
    const text = [
      'image:', // 1
      '  registry: ghcr.io',
      '  repository: org/app',
      '  tag: "1.2.3"',
      'sidecar:', // 5
      '  image:',
      '    repository: redis',
      '    tag: 7.10 # as written',
      '    digest: ""',
      'pinned:', // 10
      '  image: { repository: busybox, tag: 1.36.1, digest: ' + D1 + ' }',
      'fromChart:',
      '  image:',
      '    repository: nginx',
      'flow:', // 15
      '  image: { repository: caddy, tag: 2.8.4 }',
      ''
    ].join('\n')
    const found = scanText('kubernetes', text)
    expect(summary(text, found)).toEqual([
      'ghcr.io/org/app:1.2.3 @3 (read-only)',
      'redis:7.10 @7 (read-only)',
      `busybox:1.36.1@${D1} @11 (read-only)`,
      'nginx @14 (skipped)',
      'caddy:2.8.4 @16 (read-only)'
    ])
    expect(found.map((ref) => ref.column)).toEqual([15, 17, 24, 17, 24])
    expect(found[3]!.unresolved).toBe('no tag: the chart chooses it (usually its appVersion)')
    // pin's edit, applied: the tag gains the digest where the chart reads no digest field.
    const pinned = found.map((ref) => {
      const place = ref.valuesDigest
      if (!place) return null
      const after = text.slice(0, place.start) + place.prefix + D2 + text.slice(place.end)
      return `${place.field}: ${after.split('\n').find((line) => line.includes(D2))}`
    })
    expect(pinned).toEqual([
      `tag:   tag: "1.2.3@${D2}"`,
      `digest:     digest: "${D2}"`,
      null,
      null,
      `tag:   image: { repository: caddy, tag: 2.8.4@${D2} }`
    ])
    // A chart that reads image.digest gets a digest: line after the mapping's last key.
    const app = scanText(
      'kubernetes',
      'image:\r\n  repository: a/b\r\n  tag: v1 # x\r\nother: 1\r\n',
      undefined,
      {
        chartReadsDigest: true
      }
    )[0]!
    expect(app.valuesDigest).toEqual({
      start: 40,
      end: 40,
      prefix: '\r\n  digest: ',
      field: 'digest'
    })
  })

  test('a Flux HelmRelease of app-template: controllers.<name>.containers.<name>.image', () => {
    const text = [
      'apiVersion: helm.toolkit.fluxcd.io/v2',
      'kind: HelmRelease',
      'spec:',
      '  chart:',
      '    spec:',
      '      chart: app-template',
      '  values:',
      '    controllers:',
      '      main:',
      '        containers:',
      '          app:',
      '            image:',
      '              repository: ghcr.io/home-operations/sonarr',
      '              tag: 4.0.14.2938@' + D1,
      '          exporter:',
      '            image:',
      '              repository: ghcr.io/onedr0p/exportarr',
      '              tag: v2.0.1',
      ''
    ].join('\n')
    const found = scanText('kubernetes', text)
    expect(summary(text, found)).toEqual([
      `ghcr.io/home-operations/sonarr:4.0.14.2938@${D1} @13 (read-only)`,
      'ghcr.io/onedr0p/exportarr:v2.0.1 @17 (read-only)'
    ])
    expect(found[1]!.valuesDigest).toMatchObject({
      field: 'digest',
      prefix: '\n              digest: '
    })
  })

  test('workflows: job containers, services and docker:// steps; expressions are skipped', () => {
    const text = [
      'on: push',
      'jobs:',
      '  test:',
      '    runs-on: ubuntu-latest',
      '    container: node:20.18.1',
      '    services:',
      '      db:',
      '        image: postgres:16.4',
      '      cache: { image: "redis:${{ matrix.redis }}" }',
      '    steps:',
      '      - uses: actions/checkout@v4',
      '      - uses: docker://alpine:3.20',
      '      - uses: "docker://ghcr.io/org/tool:1@' + D1 + '"',
      '        with: { image: not-a-reference:1 }',
      '  lint:',
      '    runs-on: ubuntu-latest',
      '    container:',
      '      image: golangci/golangci-lint:v1.62',
      ''
    ].join('\n')
    expect(scan('kubernetes', text)).toEqual([
      'node:20.18.1 @5',
      'postgres:16.4 @8',
      'redis:${{ matrix.redis }} @9 (skipped)',
      'alpine:3.20 @12',
      `ghcr.io/org/tool:1@${D1} @13`,
      'golangci/golangci-lint:v1.62 @18'
    ])
  })

  test('operator resources and Ansible variables: image-named keys whose value reads as a reference', () => {
    const text = [
      'apiVersion: postgresql.cnpg.io/v1',
      'kind: Cluster',
      'spec:',
      '  imageName: ghcr.io/cloudnative-pg/postgresql:16.4',
      '---',
      'apiVersion: tailscale.com/v1alpha1',
      'kind: ProxyClass',
      'spec:',
      '  statefulSet:',
      '    pod:',
      '      tailscaleContainer:',
      '        image: tailscale/tailscale:v1.76.6',
      '---',
      'apiVersion: gateway.envoyproxy.io/v1alpha1',
      'kind: EnvoyProxy',
      'spec:',
      '  provider:',
      '    kubernetes:',
      '      envoyDeployment:',
      '        container:',
      '          image: envoyproxy/envoy:distroless-v1.32.1',
      '        pod: { sidecarImage: "busybox:1.36", coverImage: cover.png, pullImage: true }',
      ''
    ].join('\n')
    expect(scan('kubernetes', text)).toEqual([
      'ghcr.io/cloudnative-pg/postgresql:16.4 @4',
      'tailscale/tailscale:v1.76.6 @12',
      'envoyproxy/envoy:distroless-v1.32.1 @21',
      'busybox:1.36 @22'
    ])
    const vars = [
      'node_exporter_image: prom/node-exporter:latest',
      'grafana_image: "grafana/grafana:{{ grafana_version }}"',
      'grafana_version: 11.3.0',
      'backup_dir: /srv/backup',
      'vm_base_image: ubuntu-22.04',
      'runs: { using: docker, image: "docker://alpine:3.20" }',
      'other: { using: docker, image: Dockerfile }',
      ''
    ].join('\n')
    expect(scan('kubernetes', vars)).toEqual([
      'prom/node-exporter:latest @1',
      'grafana/grafana:{{ grafana_version }} @2 (skipped)',
      'alpine:3.20 @6'
    ])
  })

  test('names built here: compose build: beside image:, skaffold artifacts', () => {
    const compose =
      'services:\n  web:\n    build: ./web\n    image: adservice:dev\n  db: { image: postgres:16.4 }\n'
    const found = scanText('compose', compose)
    expect(summary(compose, found)).toEqual(['adservice:dev @4 (skipped)', 'postgres:16.4 @5'])
    // The same shape in a file not named like a compose file (a swarm stack).
    expect(scan('kubernetes', compose)).toEqual(['adservice:dev @4 (skipped)', 'postgres:16.4 @5'])
    expect(found[0]).toMatchObject({
      built: true,
      unresolved: 'built from this repository (build: at line 3)'
    })
    const skaffold = [
      'apiVersion: skaffold/v4beta11',
      'kind: Config',
      'build:',
      '  artifacts:',
      '    - image: cartservice',
      'profiles:',
      '  - name: gcb',
      '    build: { artifacts: [{ image: loadgenerator }] }',
      ''
    ].join('\n')
    expect(scan('kubernetes', skaffold)).toEqual([
      'cartservice @5 (skipped)',
      'loadgenerator @8 (skipped)'
    ])
  })

  test.each([
    ['{{- if .Values.enabled }}\napiVersion: v1\n', 1],
    ['a: b\nimage: {{ .Values.image }}\n', 2],
    ['a: b\nname: plain {{ x }}\n', 2],
    ['{% if x %}\na: 1\n{% endif %}\n', 1],
    ['# image: {{ .Values.image }}\na: 1\n', null],
    ['a: "{{ quoted }}"\nb: \'{{ single }}\'\n', null],
    ['run: echo ${{ github.sha }}\n', null],
    ['script: |\n  sed "s/{{PROJECT_ID}}/x/"\nafter: {{ y }}\n', 3],
    ['script: |\n  sed "s/{{PROJECT_ID}}/x/"\n', null]
  ])('template marker in %j: line %p', (text, line) => {
    const at = templateMarker(text)
    expect(at === null ? null : text.slice(0, at).split('\n').length).toBe(line)
    if (at !== null) expect(text.slice(at, at + 2)).toMatch(/^\{[{%]$/)
  })

  test('malformed YAML is a ScanError at its line', () => {
    const text = 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - image: [nginx\n'
    expect(() => scanText('kubernetes', text)).toThrow(ScanError)
    try {
      scanText('kubernetes', text)
    } catch (error) {
      expect((error as ScanError).line).toBeGreaterThanOrEqual(5)
      expect((error as ScanError).message).toMatch(/^malformed YAML: /)
    }
  })
})
