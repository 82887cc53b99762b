import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Instant;

/**
 * A client of the VIP for the health-failover benchmark: opens a TCP connection to HOST:PORT every PERIOD_MS
 * (each attempt may take at most that long) for SECONDS, and prints one line per attempt:
 * {@code <epoch seconds> ok|refused|timeout|error}. Run with the JDK's source launcher:
 * {@code java bench/VipProbe.java 10.200.0.100 6443 10 20}.
 */
public final class VipProbe {
    public static void main(String[] args) throws InterruptedException {
        if (args.length != 4) {
            System.err.println("usage: java VipProbe.java HOST PORT PERIOD_MS SECONDS");
            System.exit(2);
        }
        InetSocketAddress target = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        int period = Integer.parseInt(args[2]);
        long end = System.nanoTime() + Long.parseLong(args[3]) * 1_000_000_000L;
        long next = System.nanoTime();
        StringBuilder out = new StringBuilder();
        while (System.nanoTime() - end < 0) {
            Instant at = Instant.now();
            String result;
            try (Socket s = new Socket()) {
                s.connect(target, period);
                result = "ok";
            } catch (ConnectException e) {
                result = "refused";
            } catch (SocketTimeoutException e) {
                result = "timeout";
            } catch (IOException e) {
                result = "error";
            }
            out.setLength(0);
            out.append(at.getEpochSecond()).append('.').append(String.format("%09d", at.getNano())).append(' ')
                    .append(result);
            System.out.println(out);
            next += period * 1_000_000L;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
            } else {
                next = System.nanoTime();
            }
        }
    }
}
