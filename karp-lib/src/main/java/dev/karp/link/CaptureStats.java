package dev.karp.link;

/**
 * libpcap's drop counts of a capture ({@code struct pcap_stat}).
 *
 * @param dropped   {@code ps_drop}: frames the filter passed that the capture ring had no room for (a flood, or a
 *                  loop that does not read fast enough)
 * @param ifDropped {@code ps_ifdrop}: frames the interface or its driver dropped
 */
public record CaptureStats(long dropped, long ifDropped) {
}
