#!/usr/bin/env bash
# The whole test suite on local real services: brings up Kafka, MariaDB and PostgreSQL (dev/up.sh), then runs
# unit tests, @QuarkusTests and the end-to-end ITs (mvn verify). Extra arguments go to Maven.
# The container test (k8s ContainersIT) builds both images with podman through dev/images.sh, which installs podman
# and builds the Java base image from Debian packages the first time (about two minutes, then cached).
set -euo pipefail
cd "$(dirname "$0")/.."
dev/up.sh
exec ./mvnw -B verify "$@"
