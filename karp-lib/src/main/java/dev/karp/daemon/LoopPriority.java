package dev.karp.daemon;

import com.sun.jna.LastErrorException;
import dev.karp.netlink.Errno;
import dev.karp.netlink.LibC;

/**
 * Raises the scheduling priority of the thread that will run the protocol loop, as keepalived's
 * {@code vrrp_rt_priority} does for its VRRP process.
 *
 * <p>Why: on a CPU saturated by other work, Linux may wake a normal thread hundreds of milliseconds after its
 * timer expired (measured in docs/benchmarks.md: up to 245 ms for a 50 ms sleep with six busy loops on two cores).
 * With adverts every 51 ms and a master-down interval of about 160 ms ({@code --advbase 0}), such a delay on the
 * master makes a backup take over. A real-time thread (SCHED_RR) is woken at once; the kernel still keeps 5% of
 * each second for normal threads ({@code sched_rt_runtime_us}), so a runaway loop cannot lock the machine.
 *
 * <p>Only the calling thread changes (Linux applies both calls per thread): the health probes, scripts and the
 * status endpoint keep their normal priority.
 */
public final class LoopPriority {
    /** Nice value tried when real-time scheduling is refused. */
    static final int FALLBACK_NICE = -10;

    private LoopPriority() {
    }

    /** What {@link #raise(int)} achieved, as one line for the log. */
    public record Outcome(boolean realtime, String description) {
    }

    /**
     * Gives the calling thread SCHED_RR at {@code rtPriority}; if that is refused, nice {@value #FALLBACK_NICE};
     * if that is refused too, nothing changes.
     *
     * @param rtPriority 1..99
     */
    public static Outcome raise(int rtPriority) {
        if (rtPriority < 1 || rtPriority > 99) {
            throw new IllegalArgumentException("real-time priority " + rtPriority + " is out of range (expected: 1..99)");
        }
        String rtError;
        try {
            LibC.INSTANCE.sched_setscheduler(0, LibC.SCHED_RR, new int[] {rtPriority});
            return new Outcome(true, "the protocol loop runs with real-time priority " + rtPriority + " (SCHED_RR)");
        } catch (LastErrorException e) {
            rtError = Errno.describe(e.getErrorCode());
        } catch (UnsatisfiedLinkError e) {
            rtError = e.getMessage();
        }
        try {
            LibC.INSTANCE.setpriority(LibC.PRIO_PROCESS, 0, FALLBACK_NICE);
            return new Outcome(false, "the protocol loop runs with nice " + FALLBACK_NICE + "; real-time priority was"
                    + " refused (" + rtError + ")");
        } catch (LastErrorException e) {
            return new Outcome(false, "the protocol loop keeps normal priority: real-time priority was refused ("
                    + rtError + ") and so was nice " + FALLBACK_NICE + " (" + Errno.describe(e.getErrorCode())
                    + "); give karp CAP_SYS_NICE, or on a busy CPU adverts can be late enough for a backup to take over");
        } catch (UnsatisfiedLinkError e) {
            return new Outcome(false, "the protocol loop keeps normal priority: " + e.getMessage());
        }
    }
}
