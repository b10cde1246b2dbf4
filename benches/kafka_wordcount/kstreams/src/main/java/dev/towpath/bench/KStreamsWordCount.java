package dev.towpath.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Kafka Streams WordCount: the Kafka Streams engine of {@code benches/kafka_wordcount}.
 *
 * <p>Input record value: JSON {@code {"word": "abc", "t": 1764100000123}}, where {@code t} is the
 * emission time in milliseconds since the epoch, or a bare word (its {@code t} is then -1). The
 * input key is ignored. Output record: key = the word, value = JSON
 * {@code {"word": "abc", "count": 5, "t": 1764100000123}} where {@code count} is the word's count
 * so far and {@code t} is the largest emission time among the words counted, so {@code now - t}
 * is the latency of the newest word behind that count.
 *
 * <p>Settings are Kafka Streams' defaults except {@code commit.interval.ms} (the argument), the
 * application id and the state directory; {@code --config key=value} adds any other.
 */
public final class KStreamsWordCount {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicLong BAD_INPUT = new AtomicLong();

  private KStreamsWordCount() {}

  /** A word's running count and the newest emission time folded into it. */
  record Count(long count, long t) {}

  /** 16 bytes: count, then t; for the state store and its changelog. */
  static final class CountSerde implements Serde<Count> {
    @Override
    public Serializer<Count> serializer() {
      return (topic, c) ->
          c == null ? null : ByteBuffer.allocate(16).putLong(c.count()).putLong(c.t()).array();
    }

    @Override
    public Deserializer<Count> deserializer() {
      return (topic, bytes) -> {
        if (bytes == null) {
          return null;
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        return new Count(b.getLong(), b.getLong());
      };
    }
  }

  /** The (word, t) of an input value, or null for a value that is neither form. */
  static KeyValue<String, Long> parse(byte[] value) {
    if (value == null || value.length == 0) {
      return null;
    }
    String text = new String(value, StandardCharsets.UTF_8).trim();
    if (!text.startsWith("{")) {
      return text.isEmpty() ? null : KeyValue.pair(text, -1L);
    }
    try {
      JsonNode node = JSON.readTree(text);
      JsonNode word = node.get("word");
      if (word == null || !word.isTextual()) {
        return null;
      }
      JsonNode t = node.get("t");
      return KeyValue.pair(word.asText(), t != null && t.isNumber() ? t.asLong() : -1L);
    } catch (IOException e) {
      return null;
    }
  }

  static String render(String word, Count c) {
    ObjectNode out = JSON.createObjectNode();
    out.put("word", word);
    out.put("count", c.count());
    out.put("t", c.t());
    return out.toString();
  }

  private static final String USAGE =
      "usage: java -jar kstreams-wordcount.jar --bootstrap HOST:PORT --input TOPIC --output TOPIC\n"
          + "  [--commit-interval-ms MS (default 1000)] [--application-id ID (default: a new one)]\n"
          + "  [--state-dir DIR (default: a new temporary one)] [--duration-s S]\n"
          + "  [--config KEY=VALUE]...";

  public static void main(String[] args) throws Exception {
    // Kafka's INFO chatter would drown the output; slf4j-simple reads this before the first log.
    System.setProperty(
        "org.slf4j.simpleLogger.defaultLogLevel",
        System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");

    Map<String, String> opts = new LinkedHashMap<>();
    Properties extra = new Properties();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--") || i + 1 >= args.length) {
        System.err.println(USAGE);
        System.exit(2);
      }
      String v = args[++i];
      if (a.equals("--config")) {
        int eq = v.indexOf('=');
        if (eq <= 0) {
          System.err.println("--config needs KEY=VALUE, got " + v);
          System.exit(2);
        }
        extra.put(v.substring(0, eq), v.substring(eq + 1));
      } else {
        opts.put(a.substring(2), v);
      }
    }
    for (String required : List.of("bootstrap", "input", "output")) {
      if (!opts.containsKey(required)) {
        System.err.println("missing --" + required + "\n" + USAGE);
        System.exit(2);
      }
    }
    String input = opts.get("input");
    String output = opts.get("output");
    String appId =
        opts.getOrDefault("application-id", "kstreams-wordcount-" + System.currentTimeMillis());
    String stateDir =
        opts.containsKey("state-dir")
            ? opts.get("state-dir")
            : Files.createTempDirectory("kstreams-wordcount").toString();

    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, opts.get("bootstrap"));
    props.put(
        StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, opts.getOrDefault("commit-interval-ms", "1000"));
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
    props.putAll(extra);

    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(input, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
        .flatMap(
            (key, value) -> {
              KeyValue<String, Long> event = parse(value);
              if (event == null) {
                long bad = BAD_INPUT.incrementAndGet();
                // Powers of two only: a flood of bad input must not become a flood of lines.
                if (Long.bitCount(bad) == 1) {
                  System.err.println("kstreams-wordcount: skipped " + bad + " unparsable value(s)");
                }
                return Collections.emptyList();
              }
              return List.of(event);
            })
        // Named repartition topic and store: Kafka Streams warns about generated names, which
        // also change whenever the topology does.
        .groupByKey(Grouped.with("words", Serdes.String(), Serdes.Long()))
        .aggregate(
            () -> new Count(0, -1),
            (word, t, c) -> new Count(c.count() + 1, Math.max(c.t(), t)),
            Materialized.<String, Count, KeyValueStore<Bytes, byte[]>>as("word-counts")
                .withKeySerde(Serdes.String())
                .withValueSerde(new CountSerde()))
        .toStream()
        .mapValues(KStreamsWordCount::render)
        .to(output, Produced.with(Serdes.String(), Serdes.String()));

    KafkaStreams streams = new KafkaStreams(builder.build(), props);
    CountDownLatch done = new CountDownLatch(1);
    AtomicInteger exitCode = new AtomicInteger(0);
    streams.setStateListener(
        (now, before) -> {
          // Harnesses wait for this line before they start producing.
          System.err.println("kstreams-wordcount: " + now);
          if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
            done.countDown();
          }
        });
    streams.setUncaughtExceptionHandler(
        e -> {
          System.err.println("kstreams-wordcount: fatal: " + e);
          exitCode.set(1);
          return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  streams.close(Duration.ofSeconds(10));
                  done.countDown();
                }));

    streams.cleanUp();
    streams.start();
    if (opts.containsKey("duration-s")) {
      done.await(Long.parseLong(opts.get("duration-s")), TimeUnit.SECONDS);
    } else {
      done.await();
    }
    streams.close(Duration.ofSeconds(10));
    System.exit(exitCode.get());
  }
}
