package dev.karp.sniff;

import java.util.List;
import java.util.Objects;

/** Everything {@link SniffAnalyzer} found: one record per advert, in capture order, and the summary. */
public record SniffReport(List<SniffRecord> records, SniffSummary summary) {
    public SniffReport {
        records = List.copyOf(records);
        Objects.requireNonNull(summary, "summary");
    }
}
