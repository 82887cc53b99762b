package dev.karp.link;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.lang.reflect.Field;
import org.pcap4j.core.PcapHandle;

/**
 * pcap_get_selectable_fd for a pcap4j handle. pcap4j 1.8.2 has no accessor for the pcap_t or its
 * descriptor, and receive() must poll that descriptor together with its wakeup and link-event
 * descriptors (one blocking wait with an exact deadline, no periodic wake-ups). So the pcap_t
 * pointer is read from PcapHandle's private field {@code handle} (pcap4j is on the class path,
 * so reflection is allowed), and the same libpcap pcap4j loaded is asked for the descriptor.
 */
final class PcapSelectable {

    private interface Pcap extends Library {
        int pcap_get_selectable_fd(Pointer pcap);
    }

    /** The library name pcap4j itself loads (its own system property, default "pcap"). */
    static final String LIBRARY = System.getProperty("org.pcap4j.core.pcapLibName", "pcap");

    private PcapSelectable() {
    }

    static int fd(PcapHandle handle) throws LinkException {
        int fd = Holder.PCAP.pcap_get_selectable_fd(pcap(handle));
        if (fd < 0) {
            throw new LinkException("libpcap has no selectable descriptor for this interface");
        }
        return fd;
    }

    /** The handle's pcap_t, for the calls pcap4j has no accessor for (and {@link PcapRead}). */
    static Pointer pcap(PcapHandle handle) throws LinkException {
        try {
            Field f = PcapHandle.class.getDeclaredField("handle");
            f.setAccessible(true);
            return (Pointer) f.get(handle);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new LinkException("cannot reach libpcap's descriptor through pcap4j (" + e
                    + "); karp is built for pcap4j 1.8.2", e);
        }
    }

    /** Loaded on first use, after pcap4j has shown that libpcap is there. */
    private static final class Holder {
        static final Pcap PCAP = Native.load(LIBRARY, Pcap.class);
    }
}
