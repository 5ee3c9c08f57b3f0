#!/usr/bin/env bash
# podman with the settings dev/images.sh wrote (CONTAINERS_CONF under $KWSYNC_DEV_HOME/containers), e.g.
#   dev/podman.sh run --rm --network host -m 256m localhost/kwsync/sink-service:dev
# The container test and the benchmark's --containers mode run podman through this script.
set -euo pipefail
source "$(dirname "$0")/env.sh"
source "$KWSYNC_REPO/dev/containers.sh"
[ -f "$CONTAINERS_CONF" ] || write_containers_conf
exec podman "$@"
