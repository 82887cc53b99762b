package dev.karp.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@link LoopPriority} on throw-away threads of this JVM; the outcome depends on the privileges the test has. */
class LoopPriorityTest {
    private static final int SCHED_OTHER = 0;
    private static final int SCHED_RR = 2;

    @Test
    void onlyTheCallingThreadChangesAndTheOutcomeSaysWhatItGot() throws Exception {
        Result r = onFreshThread(() -> {
            LoopPriority.Outcome o = LoopPriority.raise(10);
            return new Result(o, schedPolicyOfThisThread());
        });

        if (r.outcome().realtime()) {
            assertThat(r.policy()).isEqualTo(SCHED_RR);
            assertThat(r.outcome().description()).isEqualTo("the protocol loop runs with real-time priority 10 (SCHED_RR)");
        } else {
            assertThat(r.policy()).isEqualTo(SCHED_OTHER);
            assertThat(r.outcome().description()).startsWith("the protocol loop ");
        }
        assertThat(schedPolicyOfThisThread()).isEqualTo(SCHED_OTHER);
    }

    @Test
    void aPriorityOutOfRangeIsRefused() {
        assertThatThrownBy(() -> LoopPriority.raise(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LoopPriority.raise(100)).isInstanceOf(IllegalArgumentException.class);
    }

    private record Result(LoopPriority.Outcome outcome, int policy) {
    }

    private static Result onFreshThread(Callable<Result> task) throws Exception {
        CompletableFuture<Result> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(task.call());
            } catch (Exception e) {
                f.completeExceptionally(e);
            }
        });
        t.start();
        t.join();
        return f.get();
    }

    /** Field 41 of /proc/thread-self/stat: the scheduling policy of the calling thread. */
    private static int schedPolicyOfThisThread() throws IOException {
        String stat = Files.readString(Path.of("/proc/thread-self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[41 - 3]);
    }
}
