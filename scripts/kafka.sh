#!/usr/bin/env bash
# A real single-node Apache Kafka broker (KRaft: broker and controller in one JVM) on 127.0.0.1,
# from the official jars, for tests, demos and benchmarks. Needs only Java 17+ and Maven.
#
#   scripts/kafka.sh fetch                      resolve the broker jars into the cache (once)
#   scripts/kafka.sh up                         start the broker (or find it running); prints
#                                               the bootstrap address, e.g. 127.0.0.1:9092
#   scripts/kafka.sh down [--wipe]              stop it (TERM, then KILL after a timeout);
#                                               --wipe also deletes its data
#   scripts/kafka.sh status                     "running 127.0.0.1:9092" or "stopped" (exit 1)
#   scripts/kafka.sh bootstrap                  print the address of the running broker
#   scripts/kafka.sh topic create NAME [PARTITIONS]   (idempotent)
#   scripts/kafka.sh topic delete NAME
#   scripts/kafka.sh topic list | describe [NAME]
#   scripts/kafka.sh produce TOPIC              send stdin, one message per line
#   scripts/kafka.sh consume TOPIC [N] [TIMEOUT_MS]   print N messages from the beginning
#   scripts/kafka.sh tool CLASS [ARGS...]       run any main class with the broker's class path,
#                                               e.g. org.apache.kafka.tools.consumer.group.ConsumerGroupCommand
#   scripts/kafka.sh logs                       the path of the broker log
#
# Environment (all optional):
#   TOWPATH_KAFKA_VERSION   Kafka version (default 4.4.0)
#   TOWPATH_KAFKA_CACHE     jars and config (default ~/.cache/towpath/kafka); outside the repo
#   TOWPATH_KAFKA_RUN       the broker's run dir: data, logs, pid (default $CACHE/run)
#   TOWPATH_KAFKA_PORT      client port (default 9092; "auto": the first free one from 9092)
#   TOWPATH_KAFKA_CONTROLLER_PORT   KRaft controller port (default: the next free after PORT)
#   TOWPATH_KAFKA_HEAP      broker heap (default 1g)
#   TOWPATH_KAFKA_START_TIMEOUT / TOWPATH_KAFKA_STOP_TIMEOUT   seconds (default 90 / 30)
#
# One broker per run dir: `up` while it runs only prints its address, so tests and people can
# call it freely. Data survives `down` (a restart resumes the topics) until `down --wipe`.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VERSION="${TOWPATH_KAFKA_VERSION:-4.4.0}"
CACHE="${TOWPATH_KAFKA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/towpath/kafka}"
LIBS="$CACHE/$VERSION/libs"
CONF="$CACHE/conf"
RUN="${TOWPATH_KAFKA_RUN:-$CACHE/run}"
HEAP="${TOWPATH_KAFKA_HEAP:-1g}"
START_TIMEOUT="${TOWPATH_KAFKA_START_TIMEOUT:-90}"
STOP_TIMEOUT="${TOWPATH_KAFKA_STOP_TIMEOUT:-30}"
POM="$HERE/kafka/pom.xml"
DEP_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:3.8.1"

say() { echo "kafka: $*" >&2; }
die() { say "$*"; exit 1; }

# ---------------------------------------------------------------------------------------------
# fetch: the jars. A stamp names the version and the pom's checksum, so an edited pom re-fetches
# and a cached one costs nothing (no Maven start).
fetch() {
    command -v java >/dev/null || die "java not found (Java 17+ is needed)"
    local stamp="$LIBS/.complete" want
    want="$VERSION $(cksum <"$POM")"
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
        return 0
    fi
    command -v mvn >/dev/null || die "mvn not found (Maven is needed once, to fetch the jars)"
    # Two cold `up`s at once: the second waits, then finds the jars in place.
    mkdir -p "$CACHE"
    exec 8>"$CACHE/.fetch.lock"
    flock 8
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
        exec 8>&-
        return 0
    fi
    say "fetching Apache Kafka $VERSION jars into $LIBS"
    local tmp="$LIBS.tmp.$$"
    rm -rf "$tmp"
    mkdir -p "$tmp"
    # copy-dependencies on a pom-packaging project writes nothing next to the pom. Maven's
    # output goes to a log, shown only on failure (-q still prints colour codes).
    if ! mvn -B -q -Dstyle.color=never -f "$POM" -Dkafka.version="$VERSION" \
        "$DEP_PLUGIN:copy-dependencies" -DincludeScope=runtime -DoutputDirectory="$tmp" \
        >"$CACHE/fetch.log" 2>&1; then
        cat "$CACHE/fetch.log" >&2
        rm -rf "$tmp"
        die "maven could not resolve org.apache.kafka:kafka_2.13:$VERSION (log: $CACHE/fetch.log)"
    fi
    [[ -f "$tmp/kafka_2.13-$VERSION.jar" ]] || die "kafka_2.13-$VERSION.jar missing after fetch"
    echo "$want" >"$tmp/.complete"
    rm -rf "$LIBS"
    mv "$tmp" "$LIBS"
    exec 8>&-
}

# Logging configs: the broker logs INFO to files in the run dir; tools print only warnings.
write_log_configs() {
    mkdir -p "$CONF"
    cat >"$CONF/tools-log4j2.properties" <<'EOF'
status = error
appender.err.type = Console
appender.err.name = STDERR
appender.err.target = SYSTEM_ERR
appender.err.layout.type = PatternLayout
appender.err.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = warn
rootLogger.appenderRef.err.ref = STDERR
EOF
    cat >"$CONF/broker-log4j2.properties" <<'EOF'
status = error
appender.file.type = File
appender.file.name = SERVER
appender.file.fileName = ${sys:kafka.logs.dir}/server.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = info
rootLogger.appenderRef.file.ref = SERVER
logger.kafka.name = kafka
logger.kafka.level = info
logger.state.name = state.change.logger
logger.state.level = warn
EOF
}

# Run a Kafka main class with the broker's class path; a small quick-starting JVM for tools.
TOOL_JAVA=(java -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true
    -Dlog4j2.configurationFile="$CONF/tools-log4j2.properties" -cp "$LIBS/*")
run_tool() {
    fetch
    [[ -f "$CONF/tools-log4j2.properties" ]] || write_log_configs
    "${TOOL_JAVA[@]}" "$@"
}

# ---------------------------------------------------------------------------------------------
# The broker process: its pid is valid only if that process is still a Kafka JVM of this run dir
# (a stale pid file after a reboot may name an unrelated process).
broker_pid() {
    local pid
    [[ -f "$RUN/broker.pid" ]] || return 1
    pid="$(cat "$RUN/broker.pid")"
    [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "kafka.Kafka $RUN/server.properties" || return 1
    echo "$pid"
}

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The first port from $1 on that nothing listens on, skipping $2.
free_port() {
    local p="$1"
    while listening "$p" || [[ "$p" == "${2:-}" ]]; do
        p=$((p + 1))
        ((p < 65535)) || die "no free port from $1"
    done
    echo "$p"
}

write_server_properties() {
    local port="$1" cport="$2"
    cat >"$RUN/server.properties" <<EOF
# Written by scripts/kafka.sh up: a single-node KRaft cluster on the loopback interface.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$RUN/data
num.partitions=1
# One broker: every internal topic has one replica.
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# Tests start consumers right away: no 3 s wait for more group members.
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
delete.topic.enable=true
EOF
}

# Ready means a client can create a topic, not just connect. The admin tool starts at once and
# retries inside one JVM (its start-up overlaps the broker's); the loop watches the broker so a
# crash at start-up fails fast, and starts another try if one fails early.
broker_died() {
    tail -n 30 "$RUN/server.log" "$RUN/stdout.log" >&2 || true
    die "broker exited during start-up (logs: $RUN)"
}

wait_ready() {
    local bootstrap="$1" pid="$2" deadline=$((SECONDS + START_TIMEOUT)) tool
    printf 'default.api.timeout.ms=%d\nrequest.timeout.ms=5000\nreconnect.backoff.max.ms=200\n' $((START_TIMEOUT * 1000)) \
        >"$CONF/ready-admin.properties"
    while :; do
        # The JVM itself in the background (no subshell), so `kill` reaches it; 9>&-: it must
        # not hold up's lock should it outlive this script.
        "${TOOL_JAVA[@]}" org.apache.kafka.tools.TopicCommand --bootstrap-server "$bootstrap" \
            --command-config "$CONF/ready-admin.properties" --create --if-not-exists \
            --topic towpath-ready --partitions 1 --replication-factor 1 \
            >/dev/null 2>"$RUN/ready.err" 8>&- 9>&- &
        tool=$!
        while kill -0 "$tool" 2>/dev/null; do
            if ! kill -0 "$pid" 2>/dev/null; then
                kill "$tool" 2>/dev/null || true
                broker_died
            fi
            if ((SECONDS >= deadline)); then
                kill "$tool" 2>/dev/null || true
                die "broker cannot create a topic after ${START_TIMEOUT}s (logs: $RUN)"
            fi
            sleep 0.2
        done
        wait "$tool" && return 0
        kill -0 "$pid" 2>/dev/null || broker_died
        if ((SECONDS >= deadline)); then
            cat "$RUN/ready.err" >&2
            die "broker cannot create a topic after ${START_TIMEOUT}s (logs: $RUN)"
        fi
        sleep 0.5
    done
}

up() {
    fetch
    mkdir -p "$RUN"
    # Two `up`s at once (parallel test runs) must not start two brokers on one data dir.
    exec 9>"$RUN/.lock"
    flock 9
    local pid
    if pid="$(broker_pid)"; then
        say "already running (pid $pid)"
        cat "$RUN/bootstrap"
        return 0
    fi
    write_log_configs
    local port="${TOWPATH_KAFKA_PORT:-9092}" cport
    if [[ "$port" == auto ]]; then
        port="$(free_port 9092)"
    elif listening "$port"; then
        die "port $port is taken by another process; set TOWPATH_KAFKA_PORT=auto or a free port"
    fi
    cport="${TOWPATH_KAFKA_CONTROLLER_PORT:-$(free_port $((port + 1)) "$port")}"
    write_server_properties "$port" "$cport"
    if [[ ! -f "$RUN/data/meta.properties" ]]; then
        say "formatting $RUN/data"
        rm -rf "$RUN/data"
        run_tool kafka.tools.StorageTool format --config "$RUN/server.properties" \
            --cluster-id "$(run_tool kafka.tools.StorageTool random-uuid)" >"$RUN/format.log"
    fi
    local bootstrap="127.0.0.1:$port"
    say "starting Apache Kafka $VERSION on $bootstrap (logs: $RUN/server.log)"
    # setsid: the broker outlives the shell (make, a test) that started it and gets no SIGINT
    # meant for that shell's terminal. 8>&- 9>&-: it must not inherit (and so hold) the locks.
    setsid java -Xms256m -Xmx"$HEAP" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
        -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent \
        -Djava.awt.headless=true -Dkafka.logs.dir="$RUN" \
        -Dlog4j2.configurationFile="$CONF/broker-log4j2.properties" \
        -cp "$LIBS/*" kafka.Kafka "$RUN/server.properties" \
        </dev/null >"$RUN/stdout.log" 2>&1 8>&- 9>&- &
    pid=$!
    echo "$pid" >"$RUN/broker.pid"
    echo "$bootstrap" >"$RUN/bootstrap"
    wait_ready "$bootstrap" "$pid"
    say "ready (pid $pid)"
    echo "$bootstrap"
}

down() {
    local wipe=0 pid
    [[ "${1:-}" == --wipe ]] && wipe=1
    if pid="$(broker_pid)"; then
        say "stopping (pid $pid)"
        kill -TERM "$pid"
        local deadline=$((SECONDS + STOP_TIMEOUT))
        while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
        if kill -0 "$pid" 2>/dev/null; then
            say "still running after ${STOP_TIMEOUT}s: killing"
            kill -KILL "$pid" || true
            while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
        fi
    else
        say "not running"
    fi
    rm -f "$RUN/broker.pid"
    if ((wipe)); then
        say "deleting $RUN"
        rm -rf "$RUN"
    fi
}

bootstrap() {
    broker_pid >/dev/null || die "not running (scripts/kafka.sh up)"
    cat "$RUN/bootstrap"
}

topic() {
    local bs
    bs="$(bootstrap)"
    case "${1:-}" in
    create)
        [[ -n "${2:-}" ]] || die "usage: topic create NAME [PARTITIONS]"
        run_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$bs" --create \
            --if-not-exists --topic "$2" --partitions "${3:-1}" --replication-factor 1 ;;
    delete)
        [[ -n "${2:-}" ]] || die "usage: topic delete NAME"
        run_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$bs" --delete \
            --if-exists --topic "$2" ;;
    list) run_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$bs" --list ;;
    describe) run_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$bs" --describe \
        ${2:+--topic "$2"} ;;
    *) die "usage: topic create|delete|list|describe ..." ;;
    esac
}

cmd="${1:-}"
shift || true
case "$cmd" in
fetch) fetch; echo "$LIBS" ;;
up) up ;;
down) down "$@" ;;
status)
    if broker_pid >/dev/null; then echo "running $(cat "$RUN/bootstrap")"; else echo stopped; exit 1; fi ;;
bootstrap) bootstrap ;;
topic) topic "$@" ;;
produce)
    [[ -n "${1:-}" ]] || die "usage: produce TOPIC  (lines on stdin)"
    bs="$(bootstrap)"
    run_tool org.apache.kafka.tools.ConsoleProducer --bootstrap-server "$bs" --topic "$1" \
        --command-property linger.ms=5 ;;
consume)
    [[ -n "${1:-}" ]] || die "usage: consume TOPIC [N] [TIMEOUT_MS]"
    bs="$(bootstrap)"
    run_tool org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server "$bs" \
        --topic "$1" --from-beginning ${2:+--max-messages "$2"} --timeout-ms "${3:-20000}" \
        --command-property group.protocol=consumer ;;
tool) [[ -n "${1:-}" ]] || die "usage: tool CLASS [ARGS...]"; run_tool "$@" ;;
logs) echo "$RUN/server.log" ;;
*) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
