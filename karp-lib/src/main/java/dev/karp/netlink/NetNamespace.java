package dev.karp.netlink;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A handle on the network namespace a link was opened in, so that sockets made later (when a
 * deleted interface comes back) land in the same namespace whichever thread notices.
 *
 * <p>In production karp runs in one namespace and {@link #callInside} just calls. It matters
 * when the opening thread was moved into another namespace with setns(2) (tests do this, see
 * the lab's NetnsThread): a socket opened by a thread in the wrong namespace would bind to the
 * wrong host's interface of the same name.
 */
public final class NetNamespace implements AutoCloseable {

    private static final Path THREAD_SELF_NET = Path.of("/proc/thread-self/ns/net");

    private final int fd;
    private final String id;
    private boolean closed;

    private NetNamespace(int fd, String id) {
        this.fd = fd;
        this.id = id;
    }

    /** The calling thread's network namespace. */
    public static NetNamespace ofCurrentThread() throws IOException {
        String id = currentId();
        try {
            return new NetNamespace(LibC.INSTANCE.open(THREAD_SELF_NET.toString(), LibC.O_RDONLY_CLOEXEC), id);
        } catch (LastErrorException e) {
            throw new IOException("cannot open " + THREAD_SELF_NET + ": " + Errno.describe(e.getErrorCode()), e);
        }
    }

    /** The namespace's identity as the kernel prints it, e.g. {@code net:[4026531840]}. */
    public String id() {
        return id;
    }

    /** True when the calling thread is in this namespace. */
    public boolean isCurrent() throws IOException {
        return id.equals(currentId());
    }

    /**
     * Runs {@code task} in this namespace: directly if the calling thread is in it, otherwise on
     * a short-lived thread moved there with setns(2) (which needs CAP_SYS_ADMIN).
     */
    public <T> T callInside(Callable<T> task) throws Exception {
        if (isCurrent()) {
            return task.call();
        }
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                LibC.INSTANCE.setns(fd, LibC.CLONE_NEWNET);
                result.set(task.call());
            } catch (LastErrorException e) {
                failure.set(new IOException("cannot enter network namespace " + id + ": "
                        + Errno.describe(e.getErrorCode()), e));
            } catch (Exception e) {
                failure.set(e);
            }
        }, "karp-netns-" + id);
        t.start();
        t.join();
        if (failure.get() != null) {
            throw failure.get();
        }
        return result.get();
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            LibC.INSTANCE.close(fd);
        }
    }

    private static String currentId() throws IOException {
        return Files.readSymbolicLink(THREAD_SELF_NET).toString();
    }
}
