# The container engine as the dev/ scripts use it (sourced after env.sh by dev/images.sh and dev/podman.sh):
# podman from Debian packages, run as root, with the settings this kind of sandbox needs, and the Java base image.

# runc: crun refuses the hybrid cgroup layout of these machines. default_ulimits: podman's own default rlimits
# are not permitted here.
export CONTAINERS_CONF="$KWSYNC_DEV_HOME/containers/containers.conf"
# The Java 17 base the images are built on here (the Dockerfiles' published default is Red Hat UBI).
export KWSYNC_BASE_IMAGE="${KWSYNC_BASE_IMAGE:-localhost/kwsync/openjdk-17-jre:bookworm}"

# Runs a command with its output in a log file under the dev home, shown only when the command fails.
quietly() { # quietly <log name> <command...>
  local out="$KWSYNC_DEV_HOME/containers/$1.log"; shift
  mkdir -p "$(dirname "$out")"
  "$@" >"$out" 2>&1 || { tail -40 "$out" >&2; log "failed: $* (full output in $out)"; return 1; }
}

install_container_packages() {
  command -v podman >/dev/null && command -v mmdebstrap >/dev/null && command -v runc >/dev/null && return
  log "installing podman, runc and mmdebstrap (Debian packages)"
  quietly apt as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  quietly apt as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends podman buildah \
    runc crun skopeo mmdebstrap fuse-overlayfs slirp4netns uidmap containernetworking-plugins iptables catatonit
}

write_containers_conf() {
  mkdir -p "$(dirname "$CONTAINERS_CONF")"
  cat >"$CONTAINERS_CONF" <<'CONF'
# Written by dev/images.sh; podman reads it through CONTAINERS_CONF (dev/podman.sh sets it).
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

[engine]
runtime = "runc"
CONF
}

# A minimal Debian with the headless OpenJDK 17 runtime, made from the packages of this machine's own apt sources
# (so no mirror name is written into the repository), imported as $KWSYNC_BASE_IMAGE. Built only when missing.
build_base_image() {
  if podman image exists "$KWSYNC_BASE_IMAGE"; then return; fi
  local suite tar
  suite="$(. /etc/os-release && echo "$VERSION_CODENAME")"
  tar="$KWSYNC_DEV_HOME/containers/base-$suite.tar"
  log "building the base image $KWSYNC_BASE_IMAGE from Debian $suite packages (about a minute, once)"
  # The man1 directory: openjdk's postinst registers man pages with update-alternatives, which fails without it
  # (documentation itself is left out). User 185: the unprivileged user the Dockerfiles and manifests run as.
  quietly base-image as_root mmdebstrap --quiet --variant=minbase --include=openjdk-17-jre-headless \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --setup-hook='mkdir -p "$1/usr/share/man/man1"' \
    --customize-hook='chroot "$1" useradd --system --uid 185 --gid 0 --home-dir /deployments --no-create-home --shell /usr/sbin/nologin kwsync' \
    "$suite" "$tar" - </etc/apt/sources.list.d/debian.sources
  quietly base-import podman import --quiet --change 'ENV LANG=C.UTF-8' \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["java", "-version"]' "$tar" "$KWSYNC_BASE_IMAGE"
  rm -f "$tar"
}
