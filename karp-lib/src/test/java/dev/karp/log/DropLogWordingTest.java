package dev.karp.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.carp.DropReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Issue 12 item 8: the logs and the docs name drop reasons and the rate limit the same way. */
class DropLogWordingTest {
    private static final Path CONFIGURATION_MD = Path.of("..", "docs", "configuration.md");
    private static final Path OPERATIONS_MD = Path.of("..", "docs", "operations.md");

    /** The daemon's drop log: 5 lines per reason per minute (Daemon's constructor). */
    private static List<String> flood(DropReason reason, int count) {
        List<String> lines = new ArrayList<>();
        RateLimitedLog<DropReason> log = new RateLimitedLog<>(5, Duration.ofMinutes(1), lines::add);
        for (int i = 0; i < count; i++) {
            log.log(reason, i, () -> "dropped");
        }
        log.tick(Duration.ofMinutes(1).toNanos());
        return lines;
    }

    @Test
    void theSummaryNamesTheReasonByItsLabelAndTheLimitPerMinute() {
        assertThat(flood(DropReason.BAD_DIGEST, 62)).last()
                .isEqualTo("suppressed 57 more 'bad HMAC' warnings (limit 5 per minute)");
    }

    @Test
    void theDocsQuoteTheSummaryTheCodeWrites() throws IOException {
        String docs = Files.readString(OPERATIONS_MD).replace('\n', ' ');

        assertThat(docs).contains("`" + flood(DropReason.BAD_DIGEST, 62).get(5) + "`")
                .contains("at most 5 per reason per minute");
    }

    @Test
    void theDocsStatusExampleUsesRealReasonNames() throws IOException {
        String docs = Files.readString(CONFIGURATION_MD);
        Matcher m = Pattern.compile("\"rejected\":\\{\"([A-Z_]+)\"").matcher(docs);

        assertThat(m.find()).isTrue();
        assertThat(Arrays.stream(DropReason.values()).map(Enum::name)).contains(m.group(1));
    }
}
