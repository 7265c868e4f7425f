# Sourced by bin/test and bin/gossipnet: sets JAVA_HOME to a JDK >= 21, or exits with a message.
# Order: $JAVA_HOME if it is such a JDK, else the newest such JDK under /usr/lib/jvm.

gossipnet_jdk_major() {
  # Prints the major version of the JDK at $1, or nothing if it is not a JDK.
  [ -x "$1/bin/javac" ] && [ -x "$1/bin/java" ] || return 0
  local v
  v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n1)
  case "$v" in
    1.*) echo "${v#1.}" | cut -d. -f1 ;;
    *) echo "$v" | cut -d. -f1 ;;
  esac
}

gossipnet_find_jdk() {
  local major
  if [ -n "${JAVA_HOME:-}" ]; then
    major=$(gossipnet_jdk_major "$JAVA_HOME")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      export JAVA_HOME
      return 0
    fi
  fi
  local best="" best_major=0 dir
  for dir in /usr/lib/jvm/*; do
    [ -d "$dir" ] && [ ! -L "$dir" ] || continue
    major=$(gossipnet_jdk_major "$dir")
    if [ -n "$major" ] && [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best="$dir"
      best_major="$major"
    fi
  done
  if [ -z "$best" ]; then
    echo "gossipnet needs a JDK 21 or newer, and found none (JAVA_HOME=${JAVA_HOME:-unset}, /usr/lib/jvm)." >&2
    echo "Install one (for example Temurin 25: https://adoptium.net) and set JAVA_HOME to it." >&2
    exit 1
  fi
  export JAVA_HOME="$best"
}

gossipnet_find_jdk
export PATH="$JAVA_HOME/bin:$PATH"
