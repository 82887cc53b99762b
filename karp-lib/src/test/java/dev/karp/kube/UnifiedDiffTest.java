package dev.karp.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** karp's diff must read like {@code diff -u}: GNU diff is the independent reference. */
class UnifiedDiffTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "one line changed in the middle|a\\nb\\nc\\nd\\ne\\nf\\ng\\nh\\n|a\\nb\\nc\\nD\\ne\\nf\\ng\\nh\\n",
        "a line added at the end|a\\nb\\n|a\\nb\\nc\\n",
        "a line added at the start|b\\nc\\n|a\\nb\\nc\\n",
        "two changes far apart make two hunks|1\\n2\\n3\\n4\\n5\\n6\\n7\\n8\\n9\\n10\\n11\\n12\\n|1\\nX\\n3\\n4\\n5\\n6\\n7\\n8\\n9\\n10\\nY\\n12\\n",
        "two changes close together make one hunk|1\\n2\\n3\\n4\\n5\\n6\\n7\\n|1\\nX\\n3\\n4\\n5\\nY\\n7\\n",
        "a line removed and one added|a\\nb\\nc\\n|a\\nc\\nd\\n",
        "from an empty file|''|x\\ny\\n",
    })
    void matchesGnuDiff(String name, String before, String after) throws Exception {
        String a = before.replace("\\n", "\n").replace("''", "");
        String b = after.replace("\\n", "\n");
        Files.writeString(tmp.resolve("a"), a);
        Files.writeString(tmp.resolve("b"), b);
        Tools.Run gnu = Tools.run(Map.of(), tmp, "diff", "-u", "a", "b");

        String karp = UnifiedDiff.of("f", a, b);

        assertThat(gnu.exitCode()).isEqualTo(1);
        assertThat(body(karp)).isEqualTo(body(gnu.stdout()));
    }

    @Test
    void equalTextsGiveNoDiff() {
        assertThat(UnifiedDiff.of("f", "a\n", "a\n")).isEmpty();
    }

    @Test
    void headersNameTheFile() {
        assertThat(UnifiedDiff.of("etc/x.yaml", "a\n", "b\n")).startsWith("--- a/etc/x.yaml\n+++ b/etc/x.yaml\n@@ -1 +1 @@\n");
    }

    /** Everything after the two header lines (GNU diff puts dates there). */
    private static String body(String diff) {
        return diff.lines().skip(2).reduce("", (x, y) -> x + y + "\n");
    }
}
