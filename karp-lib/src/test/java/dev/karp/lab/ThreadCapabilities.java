package dev.karp.lab;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Drops Linux capabilities from the calling thread only (capset(2) with pid 0 changes the
 * calling thread), to test the "karp needs CAP_..." errors for real while the test JVM runs as
 * root. Call it inside a {@link NetnsThread}, which is then unprivileged for good; close it after.
 */
public final class ThreadCapabilities {

    public static final int CAP_NET_ADMIN = 12;
    public static final int CAP_NET_RAW = 13;

    /** _LINUX_CAPABILITY_VERSION_3: two 32-bit words per set. */
    private static final int VERSION_3 = 0x20080522;

    private interface C extends Library {
        C INSTANCE = Native.load("c", C.class);

        int capget(byte[] header, byte[] data) throws LastErrorException;

        int capset(byte[] header, byte[] data) throws LastErrorException;
    }

    private ThreadCapabilities() {
    }

    /** Removes {@code capabilities} from the effective and permitted sets of this thread. */
    public static void drop(int... capabilities) {
        byte[] header = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt(VERSION_3).putInt(0).array();
        byte[] data = new byte[24]; // struct __user_cap_data_struct[2] { u32 effective, permitted, inheritable }
        C.INSTANCE.capget(header, data);
        ByteBuffer d = ByteBuffer.wrap(data).order(ByteOrder.nativeOrder());
        for (int cap : capabilities) {
            int word = cap / 32;
            int bit = 1 << (cap % 32);
            int base = word * 12;
            d.putInt(base, d.getInt(base) & ~bit); // effective
            d.putInt(base + 4, d.getInt(base + 4) & ~bit); // permitted
        }
        C.INSTANCE.capset(header, data);
    }
}
