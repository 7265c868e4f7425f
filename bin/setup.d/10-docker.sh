# Sourced by bin/test (under set -euo pipefail): makes a Docker daemon answer for the container
# tests in integration-tests/, and exports what those tests read:
#   TESTCONTAINERS_RYUK_DISABLED=true   Ryuk is an image, and no image registry is reachable here.
#   TESTCONTAINERS_HOST_OVERRIDE=localhost
#   REQUIRE_DOCKER=1                    the container tests fail (not skip) without a daemon.
# If no daemon answers: installs Debian's docker.io when dockerd is missing (as root), starts
# dockerd in the background with its log in target/dockerd.log, and waits up to
# GOSSIPNET_DOCKERD_WAIT seconds (default 60). A daemon that already answers is reused.
# It never fails the script: when no daemon can be had it says why, and the tests then fail loudly.

export TESTCONTAINERS_RYUK_DISABLED=true
export TESTCONTAINERS_HOST_OVERRIDE=localhost
export REQUIRE_DOCKER=1

gossipnet_docker_answers() {
  command -v docker >/dev/null 2>&1 && timeout 10 docker info >/dev/null 2>&1
}

gossipnet_docker_setup() {
  local root log wait_s i
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  log="$root/target/dockerd.log"
  wait_s=${GOSSIPNET_DOCKERD_WAIT:-60}

  if gossipnet_docker_answers; then
    echo "10-docker: a Docker daemon answers; reusing it."
    return 0
  fi

  if ! command -v dockerd >/dev/null 2>&1; then
    if [ "$(id -u)" != 0 ]; then
      echo "10-docker: no Docker daemon answers, dockerd is not installed, and this is not root:" \
        "cannot install docker.io. The container tests will fail (REQUIRE_DOCKER=1)." >&2
      return 0
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
      echo "10-docker: no Docker daemon answers and there is no apt-get to install docker.io." \
        "The container tests will fail (REQUIRE_DOCKER=1)." >&2
      return 0
    fi
    echo "10-docker: installing Debian's docker.io ..."
    mkdir -p "$root/target"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q docker.io >"$root/target/docker-install.log" 2>&1; then
      echo "10-docker: apt-get install failed; running apt-get update and trying again ..."
      if ! { DEBIAN_FRONTEND=noninteractive apt-get update -q \
             && DEBIAN_FRONTEND=noninteractive apt-get install -y -q docker.io; } \
           >>"$root/target/docker-install.log" 2>&1; then
        echo "10-docker: could not install docker.io (log: target/docker-install.log)." \
          "The container tests will fail (REQUIRE_DOCKER=1)." >&2
        tail -n 5 "$root/target/docker-install.log" >&2 || true
        return 0
      fi
    fi
    hash -r
  fi

  if [ "$(id -u)" != 0 ]; then
    echo "10-docker: dockerd is installed but no daemon answers, and only root can start it here." \
      "Start it (sudo dockerd) or add yourself to the docker group. The container tests will fail" \
      "(REQUIRE_DOCKER=1)." >&2
    return 0
  fi

  if ! pgrep -x dockerd >/dev/null 2>&1; then
    mkdir -p "$root/target"
    echo "10-docker: starting dockerd (log: target/dockerd.log) ..."
    # setsid: the daemon outlives this shell and Maven; it is the machine's daemon from now on.
    setsid nohup dockerd >>"$log" 2>&1 </dev/null &
  else
    echo "10-docker: a dockerd process exists but does not answer yet; waiting for it ..."
  fi

  for ((i = 0; i < wait_s; i++)); do
    if gossipnet_docker_answers; then
      echo "10-docker: the Docker daemon answers (after ${i}s)."
      return 0
    fi
    sleep 1
  done
  echo "10-docker: no Docker daemon answered within ${wait_s}s; the last lines of target/dockerd.log:" >&2
  tail -n 15 "$log" >&2 2>/dev/null || true
  echo "10-docker: the container tests will fail (REQUIRE_DOCKER=1)." >&2
  return 0
}

gossipnet_docker_setup || true
