package dev.karp.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScriptRunnerTest {
    /** Generous bound for waiting on a result; tests assert outcomes, never durations. */
    private static final long WAIT_SECONDS = 30;

    @TempDir
    Path dir;

    private final ScriptRunner runner = new ScriptRunner(Duration.ofSeconds(20));
    private final List<LogRecord> logged = new ArrayList<>();
    private final Logger log = Logger.getLogger("dev.karp.scripts");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            synchronized (logged) {
                logged.add(r);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLogs() {
        log.addHandler(capture);
        log.setUseParentHandlers(false);
    }

    @AfterEach
    void stop() {
        runner.close();
        log.removeHandler(capture);
        log.setUseParentHandlers(true);
    }

    private Path script(String name, String body) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private static ScriptResult await(Future<ScriptResult> f) throws Exception {
        return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private List<String> logLines() {
        synchronized (logged) {
            return logged.stream().map(r -> r.getLevel() + " " + r.getMessage()).toList();
        }
    }

    @Test
    void theScriptGetsInterfaceVipAndXparamAsItsOnlyArguments() throws Exception {
        // given
        Path up = script("up.sh", "printf '%s\\n' \"$#\" \"$@\"");
        var scripts = new VipScripts(runner, Optional.of(up), Optional.empty(), "eth0", "10.200.0.100", Optional.of("A"));

        // when
        ScriptResult r = await(scripts.up().orElseThrow());

        // then
        assertThat(r.command()).containsExactly(up.toString(), "eth0", "10.200.0.100", "A");
        assertThat(r.output()).containsExactly("3", "eth0", "10.200.0.100", "A");
        assertThat(r.succeeded()).isTrue();
    }

    @Test
    void withoutXparamTheScriptGetsTwoArguments() throws Exception {
        // given
        Path down = script("down.sh", "printf '%s\\n' \"$#\" \"$@\"");
        var scripts = new VipScripts(runner, Optional.empty(), Optional.of(down), "eth0", "10.200.0.100", Optional.empty());

        // when
        ScriptResult r = await(scripts.down().orElseThrow());

        // then
        assertThat(r.output()).containsExactly("2", "eth0", "10.200.0.100");
    }

    @Test
    void noConfiguredScriptQueuesNothing() {
        // given
        var scripts = new VipScripts(runner, Optional.empty(), Optional.empty(), "eth0", "10.200.0.100", Optional.empty());

        // when / then
        assertThat(scripts.up()).isEmpty();
        assertThat(scripts.down()).isEmpty();
    }

    @Test
    void submittingDoesNotWaitForTheScript() throws Exception {
        // given: a script that waits until the test creates a file after submit returned
        Path go = dir.resolve("go");
        Path up = script("up.sh", "while [ ! -e '" + go + "' ]; do sleep 0.05; done; echo done");

        // when
        Future<ScriptResult> f = runner.submit(up, List.of("eth0", "10.200.0.100"));
        boolean doneBeforeGo = f.isDone();
        Files.createFile(go);

        // then
        assertThat(doneBeforeGo).isFalse();
        assertThat(await(f).output()).containsExactly("done");
    }

    @Test
    void scriptsRunOneAtATimeInSubmissionOrder() throws Exception {
        // given: a slow upscript and a fast downscript writing to the same file
        Path events = dir.resolve("events");
        Path up = script("up.sh", "sleep 0.3; echo up >> '" + events + "'");
        Path down = script("down.sh", "echo down >> '" + events + "'");

        // when
        Future<ScriptResult> first = runner.submit(up, List.of("eth0", "10.200.0.100"));
        Future<ScriptResult> second = runner.submit(down, List.of("eth0", "10.200.0.100"));
        await(second);

        // then
        assertThat(first.isDone()).isTrue();
        assertThat(Files.readAllLines(events)).containsExactly("up", "down");
    }

    @Test
    void aNonZeroExitIsReportedAndLoggedAsAWarning() throws Exception {
        // given
        Path up = script("up.sh", "echo 'RTNETLINK answers: File exists'; exit 2");

        // when
        ScriptResult r = await(runner.submit(up, List.of("eth0", "10.200.0.100")));

        // then
        assertThat(r.outcome()).isEqualTo(ScriptResult.Outcome.EXITED);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(logLines()).contains("INFO " + up + ": RTNETLINK answers: File exists");
        assertThat(logLines()).anySatisfy(l -> assertThat(l).startsWith("WARNING " + up + " exited 2 after "));
    }

    @Test
    void startAndSuccessAreLogged() throws Exception {
        // given
        Path up = script("up.sh", "exit 0");

        // when
        await(runner.submit(up, List.of("eth0", "10.200.0.100", "A")));

        // then
        assertThat(logLines()).first().isEqualTo("INFO running " + up + " eth0 10.200.0.100 A");
        assertThat(logLines()).last().asString().startsWith("INFO " + up + " exited 0 after ");
    }

    @Test
    void aScriptPastTheTimeoutIsKilledWithWhatItStarted() throws Exception {
        // given: a script whose child would outlive it
        Path pidFile = dir.resolve("child.pid");
        Path up = script("up.sh", "sleep 600 & echo $! > '" + pidFile + "'; wait");
        try (ScriptRunner quick = new ScriptRunner(Duration.ofMillis(300))) {

            // when
            ScriptResult r = await(quick.submit(up, List.of("eth0", "10.200.0.100")));

            // then
            assertThat(r.outcome()).isEqualTo(ScriptResult.Outcome.TIMED_OUT);
            long child = Long.parseLong(Files.readString(pidFile).trim());
            var handle = ProcessHandle.of(child);
            if (handle.isPresent()) {
                handle.get().onExit().get(WAIT_SECONDS, TimeUnit.SECONDS);
            }
            assertThat(logLines()).contains("WARNING " + up
                    + " did not finish within 300ms; killed it (raise --script-timeout if it needs longer)");
        }
    }

    @Test
    void aScriptRemovedAfterStartupCannotStartAndTheRunnerCarriesOn() throws Exception {
        // given: validated at startup, deleted since
        Path gone = script("gone.sh", "echo never");
        Files.delete(gone);
        Path ok = script("ok.sh", "echo fine");

        // when
        ScriptResult first = await(runner.submit(gone, List.of("eth0", "10.200.0.100")));
        ScriptResult second = await(runner.submit(ok, List.of("eth0", "10.200.0.100")));

        // then
        assertThat(first.outcome()).isEqualTo(ScriptResult.Outcome.NOT_STARTED);
        assertThat(logLines()).anySatisfy(l -> assertThat(l).startsWith("WARNING cannot run " + gone + ": "));
        assertThat(second.output()).containsExactly("fine");
    }

    @Test
    void closingKillsAScriptStillRunningAfterTheWait() throws Exception {
        // given
        Path up = script("up.sh", "sleep 600");
        ScriptRunner r = new ScriptRunner(Duration.ofMinutes(10));
        Future<ScriptResult> f = r.submit(up, List.of("eth0", "10.200.0.100"));
        waitUntilRunning();

        // when
        r.close(Duration.ofMillis(100));

        // then
        assertThat(await(f).outcome()).isEqualTo(ScriptResult.Outcome.INTERRUPTED);
    }

    private void waitUntilRunning() throws InterruptedException, TimeoutException {
        for (int i = 0; i < WAIT_SECONDS * 100; i++) {
            if (logLines().stream().anyMatch(l -> l.startsWith("INFO running "))) {
                return;
            }
            Thread.sleep(10);
        }
        throw new TimeoutException("the script never started");
    }

    @Test
    void logLevelOfOutputIsInfo() throws Exception {
        // given
        Path up = script("up.sh", "echo hello");

        // when
        await(runner.submit(up, List.of("eth0", "10.200.0.100")));

        // then
        synchronized (logged) {
            assertThat(logged).filteredOn(r -> r.getMessage().endsWith(": hello"))
                    .extracting(LogRecord::getLevel).containsExactly(Level.INFO);
        }
    }

}
