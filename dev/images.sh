#!/usr/bin/env bash
# Builds the JVM container images of both services with podman, from their src/main/docker/Dockerfile.jvm, on a
# Java 17 base image made here from Debian packages (no registry needed):
#   localhost/kwsync/ingest-service:dev and localhost/kwsync/sink-service:dev
#
#   dev/images.sh             # from the packaged services (*/target/quarkus-app); fails if they are missing
#   dev/images.sh --package   # runs ./mvnw package (tests skipped) for both services first
#
# Installs podman and mmdebstrap when missing (Debian packages), writes the containers.conf this kind of sandbox
# needs under $KWSYNC_DEV_HOME/containers and builds the base image only when it is missing (about a minute, once).
# Use dev/podman.sh to run podman with the same settings. KWSYNC_IMAGE_TAG changes the tag (default dev).
# Exits with 3 when this machine cannot run containers at all (podman not installable, or a bare container from the
# base image fails to run); the message says why.
set -euo pipefail
source "$(dirname "$0")/env.sh"
source "$KWSYNC_REPO/dev/containers.sh"
cd "$KWSYNC_REPO"

package=0
for arg in "$@"; do
  case "$arg" in
    --package) package=1 ;;
    *) log "unknown argument $arg"; exit 2 ;;
  esac
done

install_container_packages
write_containers_conf
build_base_image
probe_engine

if [ "$package" = 1 ]; then
  log "packaging the services (tests skipped)"
  ./mvnw -q -B package -DskipTests -pl ingest-service,sink-service -am
fi

tag="${KWSYNC_IMAGE_TAG:-dev}"
for module in ingest-service sink-service; do
  [ -f "$module/target/quarkus-app/quarkus-run.jar" ] \
    || { log "$module/target/quarkus-app missing: package the services first (or pass --package)"; exit 1; }
  log "building localhost/kwsync/$module:$tag on $KWSYNC_BASE_IMAGE"
  # --pull=never: FROM names the local base; nothing is fetched. The build context is the module directory, whose
  # .dockerignore keeps it to the build output.
  quietly "build-$module" podman build --pull=never --build-arg "BASE_IMAGE=$KWSYNC_BASE_IMAGE" \
    -f "$module/src/main/docker/Dockerfile.jvm" -t "localhost/kwsync/$module:$tag" "$module"
done
# Layers of earlier builds that no tag points at any more.
quietly prune podman image prune -f
log "images built: localhost/kwsync/ingest-service:$tag localhost/kwsync/sink-service:$tag"
