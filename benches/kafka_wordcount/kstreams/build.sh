#!/usr/bin/env bash
# Build the Kafka Streams WordCount into one jar (once) and print its path. The jar is cached
# under ~/.cache/towpath/kafka/kstreams, named by a checksum of the pom and the source, so an
# edit rebuilds and an unchanged tree costs no Maven start. Needs Java 17+ and Maven.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${TOWPATH_KAFKA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/towpath/kafka}/kstreams"
sum="$(cat "$HERE/pom.xml" $(find "$HERE/src" -type f | sort) | cksum | cut -d' ' -f1)"
jar="$CACHE/kstreams-wordcount-$sum.jar"
if [[ ! -f "$jar" ]]; then
    command -v mvn >/dev/null || { echo "kstreams build: mvn not found" >&2; exit 1; }
    echo "kstreams build: mvn package (first time only)" >&2
    mkdir -p "$CACHE"
    build="$CACHE/build"
    if ! mvn -B -q -Dstyle.color=never -f "$HERE/pom.xml" -Dkstreams.build.dir="$build" \
        package >"$CACHE/build.log" 2>&1; then
        cat "$CACHE/build.log" >&2
        echo "kstreams build: failed (log: $CACHE/build.log)" >&2
        exit 1
    fi
    rm -f "$CACHE"/kstreams-wordcount-*.jar # jars of older sources: 100 MB each
    cp "$build/kstreams-wordcount.jar" "$jar.tmp"
    mv "$jar.tmp" "$jar"
fi
echo "$jar"
