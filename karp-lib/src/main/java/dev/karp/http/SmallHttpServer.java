package dev.karp.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A small HTTP/1.1 server for karp's status and metrics endpoints, which must answer a liveness probe whatever
 * other clients do. One thread multiplexes every connection without blocking, so a client that sends half a
 * request and waits holds only its own connection: it is closed after {@link Limits#requestTimeout()}, and when
 * {@link Limits#maxConnections()} are open the oldest one still being read makes room for the newcomer. A
 * request head is at most {@link Limits#maxHeadBytes()}; one request per connection ({@code Connection: close}).
 *
 * <p>The handler runs on the server's thread and must be quick (it renders a snapshot that is already there).
 */
public final class SmallHttpServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("dev.karp.http");

    /** A request: method, path without query, headers with lower-case names. */
    public record Request(String method, String path, Map<String, String> headers) {
    }

    /** A response; {@code headers} are extra headers (Content-Type, Content-Length, Connection are set). */
    public record Response(int code, String contentType, byte[] body, Map<String, String> headers) {
        public Response(int code, String contentType, byte[] body) {
            this(code, contentType, body, Map.of());
        }
    }

    /** Answers one request; runs on the server's thread. */
    @FunctionalInterface
    public interface Handler {
        Response handle(Request request);
    }

    /**
     * @param requestTimeout how long a connection may take to send its request head and read the answer
     * @param maxConnections connections open at once; the oldest unfinished one is closed to admit another
     * @param maxHeadBytes   the request line and headers
     */
    public record Limits(Duration requestTimeout, int maxConnections, int maxHeadBytes) {
        /** 5 s, 32 connections, 8 KiB: far more than a probe or a scrape needs. */
        public static final Limits DEFAULT = new Limits(Duration.ofSeconds(5), 32, 8192);
    }

    private final ServerSocketChannel listener;
    private final Selector selector;
    private final Handler handler;
    private final Limits limits;
    private final Thread thread;
    private final Deque<Connection> open = new ArrayDeque<>();
    private volatile boolean closed;

    private SmallHttpServer(ServerSocketChannel listener, Selector selector, Handler handler, Limits limits,
            String threadName) {
        this.listener = listener;
        this.selector = selector;
        this.handler = handler;
        this.limits = limits;
        this.thread = new Thread(this::loop, threadName);
        this.thread.setDaemon(true);
    }

    /**
     * Binds and starts serving on a daemon thread called {@code threadName}.
     *
     * @throws IOException if the address cannot be bound
     */
    public static SmallHttpServer start(InetSocketAddress address, int backlog, String threadName, Limits limits,
            Handler handler) throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open();
        Selector selector = null;
        try {
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            listener.bind(address, backlog);
            listener.configureBlocking(false);
            selector = Selector.open();
            listener.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException | RuntimeException e) {
            listener.close();
            if (selector != null) {
                selector.close();
            }
            throw e;
        }
        SmallHttpServer s = new SmallHttpServer(listener, selector, handler, limits, threadName);
        s.thread.start();
        return s;
    }

    /** The address actually bound (with the chosen port when started with port 0). */
    public InetSocketAddress address() {
        try {
            return (InetSocketAddress) listener.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("the server is closed", e);
        }
    }

    /** Stops listening at once and ends the thread; requests in flight are cut off. */
    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            thread.join(Duration.ofSeconds(2).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(listener);
        try {
            selector.close();
        } catch (IOException e) {
            // Nothing left to release.
        }
    }

    private void loop() {
        long tick = Math.max(50, Math.min(1000, limits.requestTimeout().toMillis() / 4));
        try {
            while (!closed) {
                selector.select(tick);
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        accept();
                    } else if (key.attachment() instanceof Connection c) {
                        c.ready(key);
                    }
                }
                expire(System.nanoTime());
            }
        } catch (IOException | ClosedSelectorException e) {
            if (!closed) {
                LOG.log(Level.WARNING, "the HTTP endpoint stopped: " + e.getMessage(), e);
            }
        } finally {
            for (Connection c : open) {
                closeQuietly(c.channel);
            }
            open.clear();
            closeQuietly(listener);
        }
    }

    private void accept() throws IOException {
        SocketChannel ch;
        while ((ch = listener.accept()) != null) {
            if (open.size() >= limits.maxConnections()) {
                // The oldest connection is the one that has had longest to finish: it makes room.
                Connection oldest = open.pollFirst();
                if (oldest != null) {
                    oldest.close();
                }
            }
            ch.configureBlocking(false);
            Connection c = new Connection(ch, System.nanoTime() + limits.requestTimeout().toNanos());
            ch.register(selector, SelectionKey.OP_READ, c);
            open.addLast(c);
        }
    }

    private void expire(long now) {
        while (!open.isEmpty() && now - open.peekFirst().deadline >= 0) {
            open.pollFirst().close();
        }
    }

    private static void closeQuietly(java.nio.channels.Channel c) {
        try {
            c.close();
        } catch (IOException e) {
            // Closing a socket the peer already dropped: nothing to do.
        }
    }

    private final class Connection {
        private final SocketChannel channel;
        private final long deadline;
        private final ByteBuffer in;
        private ByteBuffer out;

        Connection(SocketChannel channel, long deadline) {
            this.channel = channel;
            this.deadline = deadline;
            this.in = ByteBuffer.allocate(limits.maxHeadBytes());
        }

        void ready(SelectionKey key) {
            try {
                if (out == null && key.isReadable()) {
                    read(key);
                } else if (out != null && key.isWritable()) {
                    write();
                }
            } catch (IOException e) {
                close();
            }
        }

        private void read(SelectionKey key) throws IOException {
            int n = channel.read(in);
            if (n < 0) {
                close();
                return;
            }
            int end = headEnd();
            if (end < 0) {
                if (!in.hasRemaining()) {
                    respond(key, null, new Response(431, "text/plain; charset=utf-8",
                            "request header fields too large\n".getBytes(StandardCharsets.UTF_8)));
                }
                return;
            }
            Request request = parse(new String(in.array(), 0, end, StandardCharsets.ISO_8859_1));
            Response response;
            if (request == null) {
                response = new Response(400, "text/plain; charset=utf-8",
                        "bad request\n".getBytes(StandardCharsets.UTF_8));
            } else {
                try {
                    response = handler.handle(request);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "the HTTP handler failed", e);
                    response = new Response(500, "text/plain; charset=utf-8",
                            "internal error\n".getBytes(StandardCharsets.UTF_8));
                }
            }
            respond(key, request, response);
        }

        /** Where the head ends (after the blank line), or -1 while it is incomplete. */
        private int headEnd() {
            byte[] b = in.array();
            for (int i = 0; i < in.position(); i++) {
                if (b[i] == '\n') {
                    if (i + 1 < in.position() && b[i + 1] == '\n') {
                        return i + 2;
                    }
                    if (i + 2 < in.position() && b[i + 1] == '\r' && b[i + 2] == '\n') {
                        return i + 3;
                    }
                }
            }
            return -1;
        }

        private void respond(SelectionKey key, Request request, Response r) throws IOException {
            StringBuilder head = new StringBuilder(256);
            head.append("HTTP/1.1 ").append(r.code()).append(' ').append(reason(r.code())).append("\r\n");
            head.append("Content-Type: ").append(r.contentType()).append("\r\n");
            head.append("Content-Length: ").append(r.body().length).append("\r\n");
            r.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            head.append("Connection: close\r\n\r\n");
            byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
            boolean withBody = request == null || !request.method().equals("HEAD");
            out = ByteBuffer.allocate(h.length + (withBody ? r.body().length : 0));
            out.put(h);
            if (withBody) {
                out.put(r.body());
            }
            out.flip();
            key.interestOps(SelectionKey.OP_WRITE);
            write();
        }

        private void write() throws IOException {
            channel.write(out);
            if (!out.hasRemaining()) {
                close();
            }
        }

        void close() {
            open.remove(this);
            closeQuietly(channel);
        }
    }

    /** Parses the request line and headers; null if they are not HTTP. */
    static Request parse(String head) {
        String[] lines = head.split("\r?\n");
        String[] first = lines[0].split(" ");
        if (first.length != 3 || !first[2].startsWith("HTTP/1.") || first[0].isEmpty()) {
            return null;
        }
        String target = first[1];
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        if (!path.startsWith("/")) {
            return null;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.putIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        return new Request(first[0], path, headers);
    }

    private static String reason(int code) {
        return switch (code) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Status " + code;
        };
    }
}
