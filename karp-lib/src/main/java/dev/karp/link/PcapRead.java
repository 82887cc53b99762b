package dev.karp.link;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * pcap_next_ex through JNA's direct mapping, into a {@link FrameView}: what pcap4j's getNextRawPacketEx does, without
 * its garbage per frame (two PointerByReference, a Timestamp, a boxed length, the frame's byte[]: a flood of
 * invalid frames filled the daemon's young generation several times a second, issue 16). One reader per handle, on
 * the loop thread; the pcap_t comes from {@link PcapSelectable#pcap}.
 */
final class PcapRead {
    static {
        Native.register(PcapRead.class, NativeLibrary.getInstance(PcapSelectable.LIBRARY));
    }

    /** pcap_next_ex's outcomes: a frame, none waiting (non-blocking mode), an error (pcap_geterr says which). */
    static final int FRAME = 1;
    static final int NONE = 0;
    static final int ERROR = -1;

    /** struct pcap_pkthdr { struct timeval ts; bpf_u_int32 caplen; bpf_u_int32 len; }: caplen after the timeval. */
    private static final int CAPLEN_OFFSET = 2 * NativeLong.SIZE;

    private final Pointer pcap;
    /** The two out-parameters, struct pcap_pkthdr ** and const u_char **, side by side. */
    private final Memory out = new Memory(2 * Native.POINTER_SIZE);
    private final Pointer dataOut = out.share(Native.POINTER_SIZE);
    /** Pointed at the header, then the data, of each frame (Pointer.nativeValue): no Pointer per frame. */
    private final Pointer cursor = new Pointer(0);

    PcapRead(Pointer pcap) {
        this.pcap = pcap;
    }

    private static native int pcap_next_ex(Pointer pcap, Pointer header, Pointer data);

    private static native String pcap_geterr(Pointer pcap);

    /**
     * Reads the next frame into {@code into}, stamped {@code System.nanoTime()}: {@link #FRAME}, {@link #NONE}, or
     * {@link #ERROR} (then {@link #error()}); anything else libpcap returns (-2, no more frames of a savefile) as
     * {@link #NONE}.
     */
    int next(FrameView into) {
        int rc = pcap_next_ex(pcap, out, dataOut);
        if (rc == ERROR) {
            return ERROR;
        }
        if (rc != FRAME) {
            return NONE;
        }
        long header = Native.POINTER_SIZE == 8 ? out.getLong(0) : out.getInt(0);
        long data = Native.POINTER_SIZE == 8 ? out.getLong(Native.POINTER_SIZE) : out.getInt(Native.POINTER_SIZE);
        Pointer.nativeValue(cursor, header);
        int length = cursor.getInt(CAPLEN_OFFSET);
        Pointer.nativeValue(cursor, data);
        cursor.read(0, into.room(length), 0, length);
        into.filled(length, System.nanoTime());
        return FRAME;
    }

    /** libpcap's message for the last {@link #ERROR}. */
    String error() {
        return pcap_geterr(pcap);
    }
}
