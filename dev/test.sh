#!/usr/bin/env bash
# The whole test suite on local real services: brings up Kafka, MariaDB and PostgreSQL (dev/up.sh), then runs
# unit tests, @QuarkusTests and the end-to-end ITs (mvn verify). Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
dev/up.sh
exec ./mvnw -B verify "$@"
