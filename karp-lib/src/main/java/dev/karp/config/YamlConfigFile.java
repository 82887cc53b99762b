package dev.karp.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.karp.files.RegularFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads the {@code --config} YAML file: a flat mapping whose keys are long option names
 * ({@code vhid: 7}, {@code password-file: /etc/karp/password}, {@code preempt: true}).
 *
 * <p>Values are kept as the text written in the file, so {@code vhid: 010} gets the same
 * "leading zero" error as {@code --vhid 010} instead of YAML 1.1's octal 8.
 */
public final class YamlConfigFile {
    private static final YAMLFactory YAML = new YAMLFactory();
    /** Far more than any configuration needs; a bigger file is a mistake. */
    static final long MAX_BYTES = 1024 * 1024;

    private YamlConfigFile() {
    }

    /** Every key the file may hold, sorted: the long option names and their aliases, except {@code config}. */
    public static String validKeys() {
        return Arrays.stream(Setting.values())
                .filter(Setting::allowedInFile)
                .flatMap(s -> java.util.stream.Stream.concat(java.util.stream.Stream.of(s.longName()), s.aliases().stream()))
                .map(k -> k)
                .collect(Collectors.toCollection(() -> new java.util.TreeSet<>(List.of("groups"))))
                .stream()
                .sorted()
                .collect(Collectors.joining(", "));
    }

    /** The keys a {@code groups:} item may hold; every other setting applies to all groups. */
    public static final List<String> GROUP_KEYS = List.of("vhid", "vip", "advbase", "advskew", "preempt", "interface",
            "password-file", "upscript", "downscript");

    /**
     * What a file holds: the options, and the items of its {@code groups:} list (each key to its text; a list of
     * VIPs joined with commas).
     */
    public record Contents(Map<Setting, String> values, List<Map<String, String>> groups) {
        public Contents {
            values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
            groups = List.copyOf(groups);
        }
    }

    /**
     * @return each option in the file with its text ({@code "true"}/{@code "false"} for switches)
     * @throws ConfigException naming the file and the key that is wrong
     */
    public static Map<Setting, String> read(Path file) {
        return readContents(file).values();
    }

    /**
     * @return the options and the groups in the file
     * @throws ConfigException naming the file and the key that is wrong
     */
    public static Contents readContents(Path file) {
        String text;
        try {
            // A FIFO would block, /dev/zero never end, and a huge file end in an OutOfMemoryError.
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(RegularFiles.read(file, MAX_BYTES)))
                    .toString();
        } catch (RegularFiles.RefusedException e) {
            throw new ConfigException("--config " + file + " " + e.getMessage());
        } catch (CharacterCodingException e) {
            throw new ConfigException("--config " + file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigException("--config " + file + " cannot be read: " + IoReasons.of(e));
        }
        return parseContents(text, file.toString());
    }

    /** Parses YAML text; {@code name} is how errors refer to the file. */
    static Map<Setting, String> parse(String text, String name) {
        return parseContents(text, name).values();
    }

    /** Parses YAML text with its groups; {@code name} is how errors refer to the file. */
    static Contents parseContents(String text, String name) {
        Map<Setting, String> result = new LinkedHashMap<>();
        List<Map<String, String>> groups = new ArrayList<>();
        Map<Setting, String> keyUsed = new LinkedHashMap<>();
        try (JsonParser p = YAML.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return new Contents(result, groups);
            }
            if (first != JsonToken.START_OBJECT) {
                throw new ConfigException("--config " + name + " must be a mapping of option names to values, "
                        + "e.g. 'vhid: 7' on each line");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                if (key.equals("groups")) {
                    if (!groups.isEmpty() || p.nextToken() != JsonToken.START_ARRAY) {
                        throw new ConfigException("--config " + name + ": 'groups' must be one list of mappings, e.g."
                                + " '- {vhid: 1, vip: 10.0.0.1/24}'");
                    }
                    readGroups(p, name, groups);
                    continue;
                }
                Setting setting = Setting.byLongName(key).filter(Setting::allowedInFile).orElseThrow(() ->
                        new ConfigException("--config " + name + ": unknown key '" + key + "' (valid keys: "
                                + validKeys() + ")"));
                JsonToken value = p.nextToken();
                if (keyUsed.containsKey(setting)) {
                    throw new ConfigException("--config " + name + ": key '" + key + "' repeats '"
                            + keyUsed.get(setting) + "'; keep one");
                }
                keyUsed.put(setting, key);
                result.put(setting, setting.repeatable()
                        ? scalarOrList(p, value, setting, key, name) : scalar(p, value, setting, key, name));
            }
            if (p.nextToken() != null) {
                // Reading only the first document would silently ignore the rest.
                throw new ConfigException("--config " + name + " holds more than one YAML document (---); karp reads"
                        + " one mapping: merge them or remove the ---");
            }
        } catch (JsonProcessingException e) {
            throw new ConfigException("--config " + name + " is not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException("--config " + name + " cannot be read: " + IoReasons.of(e));
        }
        return new Contents(result, groups);
    }

    private static void readGroups(JsonParser p, String name, List<Map<String, String>> groups) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            int n = groups.size() + 1;
            if (t != JsonToken.START_OBJECT) {
                throw new ConfigException("--config " + name + ": item " + n + " of 'groups' must be a mapping, e.g."
                        + " '- {vhid: 1, vip: 10.0.0.1/24}'");
            }
            Map<String, String> group = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName().equals("passfile") ? "password-file" : p.currentName();
                if (!GROUP_KEYS.contains(key)) {
                    throw new ConfigException("--config " + name + ": item " + n + " of 'groups' has the unknown key '"
                            + p.currentName() + "' (valid keys in a group: " + String.join(", ", GROUP_KEYS)
                            + "; other settings go at the top level and apply to all groups)");
                }
                if (group.containsKey(key)) {
                    throw new ConfigException("--config " + name + ": item " + n + " of 'groups' has '" + key
                            + "' twice; keep one");
                }
                Setting setting = Setting.byLongName(key).orElseThrow();
                JsonToken value = p.nextToken();
                String where = "item " + n + " of 'groups': " + key;
                group.put(key, key.equals("vip") ? scalarOrList(p, value, setting, where, name)
                        : scalar(p, value, setting, where, name));
            }
            groups.add(group);
        }
    }

    /** A value that may also be a list of values (several VIPs), joined with commas. */
    private static String scalarOrList(JsonParser p, JsonToken value, Setting setting, String key, String name)
            throws IOException {
        if (value != JsonToken.START_ARRAY) {
            return scalar(p, value, setting, key, name);
        }
        List<String> items = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            items.add(scalar(p, t, setting, key, name));
        }
        if (items.isEmpty()) {
            throw new ConfigException("--config " + name + ": key '" + key + "' is an empty list; give at least one"
                    + " value or remove the key");
        }
        return String.join(",", items);
    }

    private static String scalar(JsonParser p, JsonToken value, Setting setting, String key, String name)
            throws IOException {
        if (value == JsonToken.START_ARRAY || value == JsonToken.START_OBJECT) {
            throw new ConfigException("--config " + name + ": key '" + key + "' must have a single value, "
                    + "not a list or mapping");
        }
        if (value == JsonToken.VALUE_NULL) {
            throw new ConfigException("--config " + name + ": key '" + key + "' has no value; give one or remove the key");
        }
        if (!setting.takesValue()) {
            // YAML 1.1 also reads yes/no/on/off as booleans; whatever the parser calls a boolean is accepted.
            if (value == JsonToken.VALUE_TRUE || value == JsonToken.VALUE_FALSE) {
                return Boolean.toString(value == JsonToken.VALUE_TRUE);
            }
            throw new ConfigException("--config " + name + ": key '" + key + "' is a switch; write '" + key
                    + ": true' or '" + key + ": false' (found: " + p.getText() + ")");
        }
        return p.getText();
    }
}
