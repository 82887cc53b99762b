package dev.karp.lab;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A dedicated thread that lives in a network namespace, for running JVM-side objects there from
 * the test JVM. On Linux the network namespace is per thread: setns(2) moves only the calling
 * thread, and sockets (pcap handles, netlink sockets) created on it belong to that namespace for
 * their whole life, whichever thread uses them later. So open a {@code PcapLink} or a
 * {@code NetlinkVipManager} with {@link #call}, then use it from the test thread.
 *
 * <p>Caveats: anything that reads {@code /sys/class/net} or {@code /proc/net} on this thread
 * still sees the process's namespace (the mounts are not switched), which is why the link and
 * VIP code ask netlink instead; threads started from this thread inherit its namespace; child
 * processes started here run in the namespace too.
 */
public final class NetnsThread implements AutoCloseable {

    private static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY_CLOEXEC = 0x80000;

    private interface C extends Library {
        C INSTANCE = Native.load("c", C.class);

        int open(String path, int flags) throws LastErrorException;

        int setns(int fd, int nstype) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private final String namespace;
    private final ExecutorService executor;

    private NetnsThread(String namespace, ExecutorService executor) {
        this.namespace = namespace;
        this.executor = executor;
    }

    /** Starts a thread and moves it into {@code /run/netns/NAMESPACE}. */
    public static NetnsThread enter(String namespace) throws IOException {
        ExecutorService ex = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "netns-" + namespace);
            t.setDaemon(true);
            return t;
        });
        NetnsThread thread = new NetnsThread(namespace, ex);
        try {
            thread.call(() -> {
                int fd = C.INSTANCE.open("/run/netns/" + namespace, O_RDONLY_CLOEXEC);
                try {
                    C.INSTANCE.setns(fd, CLONE_NEWNET);
                } finally {
                    C.INSTANCE.close(fd);
                }
                return null;
            });
        } catch (Exception e) {
            thread.close();
            throw new IOException("cannot enter network namespace " + namespace + ": " + e.getMessage(), e);
        }
        return thread;
    }

    public String namespace() {
        return namespace;
    }

    /** Runs {@code task} in the namespace and returns its result; its exception is rethrown as is. */
    public <T> T call(Callable<T> task) throws Exception {
        try {
            return executor.submit(task).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
    }

    /** Starts {@code task} in the namespace without waiting. */
    public <T> Future<T> submit(Callable<T> task) {
        return executor.submit(task);
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(Duration.ofSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
