package dev.karp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.karp.lab.Await;
import dev.karp.lab.Exec;
import dev.karp.lab.ExecResult;
import dev.karp.lab.LabHost;
import dev.karp.lab.LabProcess;
import dev.karp.lab.NetnsLab;
import dev.karp.lab.NetnsSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code karp status --watch} in a real terminal: a tmux pane (its own tmux server, socket named after this JVM)
 * running a shell, in which the test types the command as a person would and reads the screen with
 * capture-pane. The daemons run in the netns lab; the view runs in n2's namespace.
 */
@Tag("netns")
@ExtendWith(NetnsSupport.class)
@Timeout(300)
class StatusWatchIT {
    private static final Duration TMUX = Duration.ofSeconds(10);
    private NetnsLab lab;
    private String socket;
    private Path dir;
    private LabProcess karp1;

    @BeforeEach
    void labAndTerminal() throws IOException {
        if (Exec.runUnchecked(TMUX, List.of("tmux", "-V")).exitCode() != 0) {
            String message = "needs tmux (apt-get install tmux)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(message);
            }
            Assumptions.abort(message);
        }
        lab = NetnsLab.create(2);
        dir = lab.dir();
        socket = "karp-it-" + ProcessHandle.current().pid();
        karp1 = lab.startKarpAsMaster(lab.node(1), "--advskew", "0");
        LabProcess karp2 = lab.startKarp(lab.node(2), "--advskew", "50");
        assertThat(lab.awaitStatus(lab.node(2), s -> "10.200.0.11".equals(s.master()) && s.state().equals("BACKUP")))
                .as(karp2.logText()).isPresent();
        tmux("new-session", "-d", "-s", "w", "-x", "100", "-y", "40", "bash --norc --noprofile");
    }

    @AfterEach
    void close() {
        Exec.runUnchecked(TMUX, List.of("tmux", "-L", socket, "kill-server"));
        if (lab != null) {
            lab.close();
        }
    }

    private ExecResult tmux(String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of("tmux", "-L", socket, "-f", "/dev/null"));
        argv.addAll(List.of(args));
        return Exec.run(TMUX, argv).orThrow();
    }

    private String screen() {
        try {
            return tmux("capture-pane", "-p", "-t", "w").stdout();
        } catch (IOException e) {
            return "";
        }
    }

    private String screenWithColours() {
        try {
            return tmux("capture-pane", "-p", "-e", "-t", "w").stdout();
        } catch (IOException e) {
            return "";
        }
    }

    private boolean alternateScreen() throws IOException {
        return tmux("display-message", "-p", "-t", "w", "#{alternate_on}").stdout().strip().equals("1");
    }

    /** Types: stty -a before, the view in n2's namespace, its exit code, stty -a after. */
    private void typeWatchCommand(LabHost host) throws IOException {
        String karp = String.join(" ", NetnsLab.karp("status", "--watch", "--interval", "0.5"));
        tmux("send-keys", "-t", "w", "stty -a > " + dir.resolve("before") + "; ip netns exec " + host.netns() + " "
                + karp + "; echo exit=$? > " + dir.resolve("exit") + "; stty -a > " + dir.resolve("after"), "Enter");
    }

    private void assertTerminalAsItWas() throws IOException {
        assertThat(Await.until(Duration.ofSeconds(20), () -> Files.exists(dir.resolve("after")))).as(screen()).isTrue();
        assertThat(Files.readString(dir.resolve("exit")).strip()).isEqualTo("exit=0");
        assertThat(Files.readString(dir.resolve("after"))).isEqualTo(Files.readString(dir.resolve("before")));
        assertThat(alternateScreen()).isFalse();
        assertThat(screen()).contains("stty -a > ").doesNotContain("q or Ctrl-C to quit");
    }

    @Test
    void theViewShowsTheStateFollowsAFailoverAndQuitsOnQLeavingTheTerminalAsItWas() throws IOException {
        // given
        typeWatchCommand(lab.node(2));
        boolean shown = Await.until(NetnsLab.SETTLE, () -> screen().contains("state     BACKUP since"));
        assertThat(shown).as(screen()).isTrue();
        assertThat(alternateScreen()).isTrue();
        assertThat(screen()).contains("master    10.200.0.11", "q or Ctrl-C to quit", "          10.200.0.11 ");

        // when: the master dies
        karp1.kill();
        StringBuilder seen = new StringBuilder();
        boolean followed = Await.until(NetnsLab.SETTLE, () -> {
            String s = screenWithColours();
            seen.setLength(0);
            seen.append(s);
            return s.contains("MASTER since");
        });

        // then: the new state is shown, highlighted as a change (bold yellow)
        assertThat(followed).as(screen()).isTrue();
        String stateLine = seen.toString().lines().filter(l -> l.contains("MASTER since")).findFirst().orElseThrow();
        assertThat(stateLine).containsPattern("\u001b\\[(\\d+;)*1m").containsPattern("\u001b\\[(\\d+;)*33m");
        assertThat(Await.until(Duration.ofSeconds(10), () -> screen().contains("master    10.200.0.12 (this node)")))
                .as(screen()).isTrue();

        // when: q
        tmux("send-keys", "-t", "w", "q");

        // then
        assertTerminalAsItWas();
    }

    @Test
    void ctrlCQuitsTooLeavingTheTerminalAsItWas() throws IOException {
        // given
        typeWatchCommand(lab.node(2));
        // Only the view matters here, not which state it shows (the failover test checks the states).
        assertThat(Await.until(NetnsLab.SETTLE, () -> screen().contains("q or Ctrl-C to quit")
                && screen().contains("state     "))).as(screen()).isTrue();

        // when
        tmux("send-keys", "-t", "w", "C-c");

        // then
        assertTerminalAsItWas();
    }
}
