package dev.karp.metrics;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scrape of a Prometheus text-format endpoint, parsed for tests: one sample per line
 * ({@code name{a="x",b="y"} value}), comments skipped. Enough of the format for karp's metrics, which have
 * no escaped quotes in label values.
 */
public final class ScrapedMetrics {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)\\})?\\s+(\\S+)(\\s+\\S+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"([^\"]*)\"");

    /** One sample: the metric name, its labels in order, its value. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;
    private final String text;

    private ScrapedMetrics(List<Sample> samples, String text) {
        this.samples = List.copyOf(samples);
        this.text = text;
    }

    /** GET http://address/metrics (no proxy, 5 s limits). */
    public static ScrapedMetrics scrape(InetSocketAddress address) throws IOException {
        return scrape("http://" + address.getAddress().getHostAddress() + ":" + address.getPort() + "/metrics");
    }

    public static ScrapedMetrics scrape(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection(Proxy.NO_PROXY);
        c.setConnectTimeout(5000);
        c.setReadTimeout(5000);
        // Never a pooled connection: the same 127.0.0.1:PORT may be in another network namespace.
        c.setRequestProperty("Connection", "close");
        try {
            if (c.getResponseCode() != 200) {
                throw new IOException(url + " answered HTTP " + c.getResponseCode());
            }
            return parse(new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            c.disconnect();
        }
    }

    public static ScrapedMetrics parse(String text) {
        List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("not a sample line: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            out.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4))));
        }
        return new ScrapedMetrics(out, text);
    }

    public List<Sample> samples() {
        return samples;
    }

    /** The raw text, for messages. */
    public String text() {
        return text;
    }

    /** The value of the sample with this name whose labels include all of {@code labels} (k1, v1, k2, v2...). */
    public OptionalDouble value(String name, String... labels) {
        return find(name, labels).map(s -> OptionalDouble.of(s.value())).orElse(OptionalDouble.empty());
    }

    public Optional<Sample> find(String name, String... labels) {
        return samples.stream().filter(s -> s.name().equals(name) && has(s, labels)).findFirst();
    }

    private static boolean has(Sample s, String... labels) {
        for (int i = 0; i + 1 < labels.length; i += 2) {
            if (!labels[i + 1].equals(s.labels().get(labels[i]))) {
                return false;
            }
        }
        return true;
    }
}
