# The container engine as the dev/ scripts use it (sourced after env.sh by dev/images.sh and dev/podman.sh):
# podman from Debian packages, run as root, with the settings this kind of sandbox needs, and the Java base image.

# runc: crun refuses the hybrid cgroup layout of these machines. default_ulimits: podman's own default rlimits
# are not permitted here.
export CONTAINERS_CONF="$KWSYNC_DEV_HOME/containers/containers.conf"
# The Java 17 base the images are built on here (the Dockerfiles' published default is Red Hat UBI).
KWSYNC_DEFAULT_BASE_IMAGE=localhost/kwsync/openjdk-17-jre:bookworm
export KWSYNC_BASE_IMAGE="${KWSYNC_BASE_IMAGE:-$KWSYNC_DEFAULT_BASE_IMAGE}"

# Runs a command with its output in a log file under the dev home, shown only when the command fails.
quietly() { # quietly <log name> <command...>
  local out="$KWSYNC_DEV_HOME/containers/$1.log"; shift
  mkdir -p "$(dirname "$out")"
  "$@" >"$out" 2>&1 || { tail -40 "$out" >&2; log "failed: $* (full output in $out)"; return 1; }
}

# Exit status of dev/images.sh when this machine cannot run containers at all (not a fault of the images): the
# container test skips on it, printing the reason, and fails on any other error.
ENGINE_UNUSABLE=3
engine_unusable() { # engine_unusable <reason>
  log "the container engine cannot run here: $*"
  exit "$ENGINE_UNUSABLE"
}

install_container_packages() {
  command -v podman >/dev/null && command -v mmdebstrap >/dev/null && command -v runc >/dev/null && return
  if [ "$(id -u)" != 0 ] && ! sudo -n true 2>/dev/null; then
    engine_unusable "podman is not installed, and installing it needs root (not root, no password-less sudo)"
  fi
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
  if [ "$KWSYNC_BASE_IMAGE" != "$KWSYNC_DEFAULT_BASE_IMAGE" ]; then
    log "KWSYNC_BASE_IMAGE=$KWSYNC_BASE_IMAGE is not a local image (only the default, $KWSYNC_DEFAULT_BASE_IMAGE, is built here)"
    return 1
  fi
  local suite tar sources=/etc/apt/sources.list.d/debian.sources
  # Debian 12 writes its sources in the deb822 file; machines set up the older way have the one-line list.
  [ -f "$sources" ] || sources=/etc/apt/sources.list
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
    "$suite" "$tar" - <"$sources"
  quietly base-import podman import --quiet --change 'ENV LANG=C.UTF-8' \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["java", "-version"]' "$tar" "$KWSYNC_BASE_IMAGE"
  rm -f "$tar"
}

# A container from the base image with the options the container test uses (host network, memory limit,
# read-only root, user 185): when even that fails, the engine cannot run on this machine (for example no cgroup
# memory controller, or no namespaces inside another sandbox).
probe_engine() {
  local out="$KWSYNC_DEV_HOME/containers/probe.log"
  podman run --rm --network host --memory 64m --memory-swap 64m --read-only --user 185 --cap-drop ALL \
      "$KWSYNC_BASE_IMAGE" true >"$out" 2>&1 \
    || engine_unusable "podman run of $KWSYNC_BASE_IMAGE failed: $(tail -3 "$out" | tr '\n' ' ')"
}
