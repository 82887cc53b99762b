package dev.karp.kube;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified diff ({@code diff -u} format) of two texts, for {@code --dry-run}. karp's edits touch a few lines,
 * so the common head and tail are cut first and only the middle goes through the quadratic LCS table.
 */
public final class UnifiedDiff {
    private static final int CONTEXT = 3;

    private UnifiedDiff() {
    }

    /** The diff with {@code --- a/label} and {@code +++ b/label} headers, or "" when the texts are equal. */
    public static String of(String label, String before, String after) {
        if (before.equals(after)) {
            return "";
        }
        List<String> a = lines(before);
        List<String> b = lines(after);
        List<Op> ops = ops(a, b);
        StringBuilder out = new StringBuilder();
        out.append("--- a/").append(label).append('\n').append("+++ b/").append(label).append('\n');
        int i = 0;
        while (i < ops.size()) {
            if (ops.get(i).kind == ' ') {
                i++;
                continue;
            }
            // A hunk: from CONTEXT lines before this change to CONTEXT lines after the last change
            // that is no more than 2*CONTEXT unchanged lines away.
            int start = Math.max(0, i - CONTEXT);
            int end = i;
            int lastChange = i;
            while (end < ops.size()) {
                if (ops.get(end).kind != ' ') {
                    lastChange = end;
                } else if (end - lastChange > 2 * CONTEXT) {
                    break;
                }
                end++;
            }
            end = Math.min(ops.size(), lastChange + CONTEXT + 1);
            appendHunk(out, ops.subList(start, end));
            i = end;
        }
        return out.toString();
    }

    private record Op(char kind, String line, int aLine, int bLine) {
    }

    private static void appendHunk(StringBuilder out, List<Op> hunk) {
        int aStart = -1;
        int bStart = -1;
        int aCount = 0;
        int bCount = 0;
        for (Op op : hunk) {
            if (op.kind != '+') {
                aCount++;
                if (aStart < 0) {
                    aStart = op.aLine;
                }
            }
            if (op.kind != '-') {
                bCount++;
                if (bStart < 0) {
                    bStart = op.bLine;
                }
            }
        }
        // diff -u numbers an empty side by the line before it.
        if (aStart < 0) {
            aStart = hunk.get(0).aLine - 1;
        }
        if (bStart < 0) {
            bStart = hunk.get(0).bLine - 1;
        }
        out.append("@@ -").append(range(aStart, aCount)).append(" +").append(range(bStart, bCount)).append(" @@\n");
        for (Op op : hunk) {
            out.append(op.kind).append(op.line.endsWith("\n") ? op.line : op.line + "\n");
            if (!op.line.endsWith("\n")) {
                out.append("\\ No newline at end of file\n");
            }
        }
    }

    private static String range(int start, int count) {
        return count == 1 ? Integer.toString(start) : start + "," + count;
    }

    private static List<Op> ops(List<String> a, List<String> b) {
        int head = 0;
        while (head < a.size() && head < b.size() && a.get(head).equals(b.get(head))) {
            head++;
        }
        int tail = 0;
        while (tail < a.size() - head && tail < b.size() - head
                && a.get(a.size() - 1 - tail).equals(b.get(b.size() - 1 - tail))) {
            tail++;
        }
        int n = a.size() - head - tail;
        int m = b.size() - head - tail;
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = a.get(head + i).equals(b.get(head + j))
                        ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<Op> ops = new ArrayList<>();
        for (int k = 0; k < head; k++) {
            ops.add(new Op(' ', a.get(k), k + 1, k + 1));
        }
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a.get(head + i).equals(b.get(head + j))) {
                ops.add(new Op(' ', a.get(head + i), head + i + 1, head + j + 1));
                i++;
                j++;
            } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
                // diff -u lists removed lines before added ones.
                ops.add(new Op('-', a.get(head + i), head + i + 1, head + j + 1));
                i++;
            } else {
                ops.add(new Op('+', b.get(head + j), head + i + 1, head + j + 1));
                j++;
            }
        }
        for (int k = 0; k < tail; k++) {
            ops.add(new Op(' ', a.get(head + n + k), head + n + k + 1, head + m + k + 1));
        }
        return ops;
    }

    /** Lines with their newline kept, so a missing final newline shows. */
    private static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? text.length() : nl + 1;
            out.add(text.substring(start, end));
            start = end;
        }
        return out;
    }
}
