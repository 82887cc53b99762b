package dev.karp.kube;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions.FlowStyle;
import org.yaml.snakeyaml.DumperOptions.ScalarStyle;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.CollectionNode;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Minimal, textual edits of a user's YAML: SnakeYAML finds where a node sits, and only those characters
 * change. Comments, key order, quoting and blank lines elsewhere stay as the user wrote them, which a
 * parse-and-dump round trip would lose (as {@code kubectl config set-cluster} does: it drops comments and sorts keys).
 *
 * <p>Each method returns the new text; callers re-parse before the next edit, since offsets move.
 */
final class YamlText {
    private static final Pattern PLAIN_SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_./:@+\\-\\[\\]%~=]*");
    private static final Pattern NOT_A_STRING = Pattern.compile(
            "(?i)(true|false|yes|no|on|off|y|n|null|~|[-+]?(\\d[\\d_]*)?(\\.\\d*)?([eE][-+]?\\d+)?|0x[0-9a-f]+|0o?[0-7]+)");

    private YamlText() {
    }

    /** Every document of {@code text}; a syntax error becomes one line naming the place. */
    static List<Node> parse(String text, String source) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        try {
            List<Node> docs = new ArrayList<>();
            for (Node n : new Yaml(options).composeAll(new StringReader(text))) {
                docs.add(n);
            }
            return docs;
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String where = m == null ? "" : " at line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1);
            throw new IllegalArgumentException(source + " is not valid YAML" + where + ": " + e.getProblem());
        } catch (YAMLException e) {
            throw new IllegalArgumentException(source + " is not valid YAML: " + e.getMessage());
        }
    }

    /** The char offset of a mark: SnakeYAML counts code points. */
    static int offset(String text, Mark mark) {
        return text.offsetByCodePoints(0, mark.getIndex());
    }

    static int start(String text, Node n) {
        return offset(text, n.getStartMark());
    }

    static int end(String text, Node n) {
        return offset(text, n.getEndMark());
    }

    static Optional<NodeTuple> entry(Node mapping, String key) {
        if (!(mapping instanceof MappingNode m)) {
            return Optional.empty();
        }
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    static Optional<Node> get(Node node, String... path) {
        Node cur = node;
        for (String key : path) {
            Optional<NodeTuple> t = entry(cur, key);
            if (t.isEmpty()) {
                return Optional.empty();
            }
            cur = t.get().getValueNode();
        }
        return Optional.of(cur);
    }

    static Optional<String> scalar(Node node, String... path) {
        return get(node, path).filter(n -> n instanceof ScalarNode s && !isNull(s)).map(n -> ((ScalarNode) n).getValue());
    }

    /** Whether any node under {@code n} has an anchor (an alias refers to an anchored node). */
    static boolean hasAnchors(Node n) {
        if (n.getAnchor() != null) {
            return true;
        }
        if (n instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (hasAnchors(t.getKeyNode()) || hasAnchors(t.getValueNode())) {
                    return true;
                }
            }
        } else if (n instanceof SequenceNode seq) {
            for (Node item : seq.getValue()) {
                if (hasAnchors(item)) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean isNull(Node n) {
        return n instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
    }

    static boolean isFlow(Node n) {
        return n instanceof CollectionNode<?> c && c.getFlowStyle() == FlowStyle.FLOW;
    }

    /** Replaces a scalar's text, keeping its quoting style where the new value allows it. */
    static String replaceScalar(String text, ScalarNode node, String value, boolean inFlow) {
        String rendered = switch (node.getScalarStyle()) {
            case DOUBLE_QUOTED -> doubleQuoted(value);
            case SINGLE_QUOTED -> "'" + value.replace("'", "''") + "'";
            default -> plainOrQuoted(value, inFlow);
        };
        int from = start(text, node);
        int to = end(text, node);
        if (node.getScalarStyle() == ScalarStyle.LITERAL || node.getScalarStyle() == ScalarStyle.FOLDED) {
            // A block scalar (| or >) runs from its indicator over its lines, up to the next line's start: the
            // whole node becomes one plain or quoted value, and the line breaks that ended it stay.
            int contentEnd = to;
            while (contentEnd > from && Character.isWhitespace(text.charAt(contentEnd - 1))) {
                contentEnd--;
            }
            int lineEnd = contentEnd;
            while (lineEnd < to && text.charAt(lineEnd) != '\n' && text.charAt(lineEnd) != '\r') {
                lineEnd++;
            }
            to = lineEnd;
        }
        return splice(text, from, to, rendered);
    }

    /**
     * Adds {@code key: value} to a mapping, right after the entry {@code after}: on the next line with the
     * same indentation in block style, or as {@code , key: value} in flow style.
     */
    static String addEntryAfter(String text, MappingNode mapping, NodeTuple after, String key, String value) {
        if (isFlow(mapping)) {
            int at = end(text, after.getValueNode());
            return splice(text, at, at, ", " + key + ": " + plainOrQuoted(value, true));
        }
        int column = after.getKeyNode().getStartMark().getColumn();
        return insertLines(text, lastContentEnd(text, after.getValueNode()),
                " ".repeat(column) + key + ": " + plainOrQuoted(value, false) + "\n");
    }

    /**
     * Makes sure the sequence at {@code path} in {@code root} (a document's root, or null for an empty file)
     * holds {@code item}; creates the sequence and the mappings above it where missing. Returns the text
     * unchanged if an element already is {@code item} by {@code same}.
     */
    static String ensureSequenceItem(String text, Node root, List<String> path, String item,
            BiPredicate<String, String> same) {
        if (root == null || isNull(root)) {
            String base = text.isEmpty() || text.endsWith("\n") ? text : text + "\n";
            return base + block(0, 2, path, doubleQuoted(item));
        }
        int unit = indentUnit(root);
        Node cur = root;
        for (int i = 0; i < path.size(); i++) {
            String where = String.join(".", path.subList(0, i + 1));
            if (!(cur instanceof MappingNode mapping)) {
                throw new IllegalArgumentException("expected a mapping above " + where + ", found "
                        + cur.getNodeId() + " at line " + (cur.getStartMark().getLine() + 1));
            }
            Optional<NodeTuple> t = entry(mapping, path.get(i));
            List<String> rest = path.subList(i, path.size());
            if (t.isEmpty()) {
                return addMissing(text, mapping, rest, item, unit);
            }
            Node value = t.get().getValueNode();
            boolean last = i == path.size() - 1;
            if (isNull(value)) {
                // `key:` with nothing after it: hang the rest below the key.
                int column = t.get().getKeyNode().getStartMark().getColumn();
                int from = colonAfter(text, t.get().getKeyNode());
                String body = last
                        ? "\n" + " ".repeat(column + unit) + "- " + doubleQuoted(item)
                        : "\n" + block(column + unit, unit, path.subList(i + 1, path.size()), doubleQuoted(item));
                if (!last && body.endsWith("\n")) {
                    body = body.substring(0, body.length() - 1);
                }
                return splice(text, from, end(text, value), body);
            }
            if (last) {
                if (value instanceof SequenceNode seq) {
                    return appendItem(text, seq, item, same);
                }
                if (value instanceof ScalarNode s) {
                    if (same.test(s.getValue(), item)) {
                        return text;
                    }
                    // One value given as a plain string (`tls-san: foo`): make it a list of two.
                    String old = text.substring(start(text, s), end(text, s));
                    return splice(text, start(text, s), end(text, s), "[" + old + ", " + doubleQuoted(item) + "]");
                }
                throw new IllegalArgumentException("expected a list at " + where + ", found a mapping at line "
                        + (value.getStartMark().getLine() + 1));
            }
            cur = value;
        }
        throw new AssertionError("unreachable: the loop returns at the last key");
    }

    /** The items of the sequence at {@code path}, as strings (empty if there is none). */
    static List<String> sequenceItems(Node root, List<String> path) {
        List<String> out = new ArrayList<>();
        Optional<Node> n = root == null ? Optional.empty() : get(root, path.toArray(String[]::new));
        if (n.isPresent() && n.get() instanceof SequenceNode seq) {
            for (Node item : seq.getValue()) {
                if (item instanceof ScalarNode s) {
                    out.add(s.getValue());
                }
            }
        } else if (n.isPresent() && n.get() instanceof ScalarNode s && !isNull(s)) {
            out.add(s.getValue());
        }
        return out;
    }

    private static String appendItem(String text, SequenceNode seq, String item, BiPredicate<String, String> same) {
        List<Node> items = seq.getValue();
        for (Node n : items) {
            if (n instanceof ScalarNode s && same.test(s.getValue(), item)) {
                return text;
            }
        }
        String rendered = items.isEmpty() ? doubleQuoted(item) : styledLike(items.get(items.size() - 1), item, isFlow(seq));
        if (isFlow(seq)) {
            if (items.isEmpty()) {
                int at = start(text, seq) + 1;
                return splice(text, at, at, rendered);
            }
            int at = end(text, items.get(items.size() - 1));
            return splice(text, at, at, ", " + rendered);
        }
        int column = seq.getStartMark().getColumn();
        return insertLines(text, lastContentEnd(text, seq), " ".repeat(column) + "- " + rendered + "\n");
    }

    private static String addMissing(String text, MappingNode mapping, List<String> keys, String item, int unit) {
        if (isFlow(mapping)) {
            String flow = doubleQuoted(item);
            flow = "[" + flow + "]";
            for (int k = keys.size() - 1; k >= 1; k--) {
                flow = "{" + keys.get(k) + ": " + flow + "}";
            }
            String entry = keys.get(0) + ": " + flow;
            List<NodeTuple> tuples = mapping.getValue();
            if (tuples.isEmpty()) {
                int at = start(text, mapping) + 1;
                return splice(text, at, at, entry);
            }
            int at = end(text, tuples.get(tuples.size() - 1).getValueNode());
            return splice(text, at, at, ", " + entry);
        }
        int column = mapping.getValue().isEmpty() ? 0 : mapping.getValue().get(0).getKeyNode().getStartMark().getColumn();
        return insertLines(text, lastContentEnd(text, mapping), block(column, unit, keys, doubleQuoted(item)));
    }

    /** {@code k1:\n  k2:\n    - item\n}, starting at {@code indent}, nesting by {@code unit}. */
    private static String block(int indent, int unit, List<String> keys, String renderedItem) {
        StringBuilder sb = new StringBuilder();
        int ind = indent;
        for (String key : keys) {
            sb.append(" ".repeat(ind)).append(key).append(":\n");
            ind += unit;
        }
        sb.append(" ".repeat(ind)).append("- ").append(renderedItem).append('\n');
        return sb.toString();
    }

    /**
     * How far the file indents a nested block mapping (Talos writes 4, most tools 2), so added keys look
     * like their neighbours. The first nested block mapping decides; 2 if there is none.
     */
    private static int indentUnit(Node root) {
        if (root instanceof MappingNode m && !isFlow(m)) {
            for (NodeTuple t : m.getValue()) {
                if (t.getValueNode() instanceof MappingNode child && !isFlow(child) && !child.getValue().isEmpty()) {
                    int step = child.getValue().get(0).getKeyNode().getStartMark().getColumn()
                            - t.getKeyNode().getStartMark().getColumn();
                    if (step > 0) {
                        return step;
                    }
                }
            }
        }
        return 2;
    }

    /** Where the last character of a node's own content is: block collections end at their last child. */
    private static int lastContentEnd(String text, Node n) {
        if (n instanceof MappingNode m && !isFlow(m) && !m.getValue().isEmpty()) {
            NodeTuple t = m.getValue().get(m.getValue().size() - 1);
            return Math.max(lastContentEnd(text, t.getKeyNode()), lastContentEnd(text, t.getValueNode()));
        }
        if (n instanceof SequenceNode s && !isFlow(s) && !s.getValue().isEmpty()) {
            return lastContentEnd(text, s.getValue().get(s.getValue().size() - 1));
        }
        return end(text, n);
    }

    /** Inserts whole lines at the start of the line after {@code contentEnd}. */
    private static String insertLines(String text, int contentEnd, String lines) {
        int at;
        if (contentEnd > 0 && text.charAt(contentEnd - 1) == '\n') {
            at = contentEnd;
        } else {
            int nl = text.indexOf('\n', contentEnd);
            if (nl < 0) {
                return text + "\n" + lines;
            }
            at = nl + 1;
        }
        return splice(text, at, at, lines);
    }

    private static int colonAfter(String text, Node key) {
        int i = end(text, key);
        while (i < text.length() && text.charAt(i) != ':') {
            i++;
        }
        return i + 1;
    }

    private static String styledLike(Node sibling, String value, boolean inFlow) {
        if (sibling instanceof ScalarNode s) {
            if (s.getScalarStyle() == ScalarStyle.SINGLE_QUOTED) {
                return "'" + value.replace("'", "''") + "'";
            }
            if (s.getScalarStyle() == ScalarStyle.PLAIN) {
                return plainOrQuoted(value, inFlow);
            }
        }
        return doubleQuoted(value);
    }

    static String plainOrQuoted(String value, boolean inFlow) {
        boolean plain = PLAIN_SAFE.matcher(value).matches() && !NOT_A_STRING.matcher(value).matches()
                && !value.endsWith(":") && !(inFlow && value.matches(".*[\\[\\]{},].*"));
        return plain ? value : doubleQuoted(value);
    }

    static String doubleQuoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String splice(String text, int from, int to, String replacement) {
        return text.substring(0, from) + replacement + text.substring(to);
    }
}
