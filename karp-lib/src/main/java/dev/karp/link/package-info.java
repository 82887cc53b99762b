/**
 * The Ethernet link: sends and receives CARP frames and gratuitous ARP with libpcap (pcap4j), and
 * reports carrier.
 *
 * <p>Internal: not part of karp's API; may change in any release. The API is package {@code dev.karp}.
 */
package dev.karp.link;
