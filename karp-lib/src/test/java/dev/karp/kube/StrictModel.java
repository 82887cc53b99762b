package dev.karp.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads Kubernetes documents with the fabric8 model and fails on anything the model does not know (kubectl
 * has no offline schema check): fabric8 keeps unknown fields in {@code additionalProperties} instead of
 * failing, so the typed tree is walked and any non-empty one is reported with its path.
 */
final class StrictModel {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private StrictModel() {
    }

    /** Every document of a multi-document YAML text (or one JSON object), each checked strictly. */
    static List<HasMetadata> read(String multiDoc) {
        List<HasMetadata> out = new ArrayList<>();
        for (String doc : multiDoc.split("(?m)^---\\s*$")) {
            if (doc.lines().allMatch(l -> l.isBlank() || l.stripLeading().startsWith("#"))) {
                continue;
            }
            out.add(readOne(doc));
        }
        return out;
    }

    static HasMetadata readOne(String doc) {
        HasMetadata obj = SERIALIZATION.unmarshal(doc, HasMetadata.class);
        if (obj instanceof GenericKubernetesResource g) {
            throw new AssertionError("no model for " + g.getApiVersion() + " " + g.getKind());
        }
        List<String> unknown = new ArrayList<>();
        walk(obj, obj.getKind(), unknown);
        if (!unknown.isEmpty()) {
            throw new AssertionError(obj.getKind() + "/" + obj.getMetadata().getName() + " has fields the model does not know: " + unknown);
        }
        return obj;
    }

    private static void walk(Object o, String path, List<String> out) {
        if (o == null) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                walk(e, path + "[" + i++ + "]", out);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                walk(e.getValue(), path + "." + e.getKey(), out);
            }
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method g : o.getClass().getMethods()) {
            if (g.getParameterCount() != 0 || !g.getName().startsWith("get") || g.getName().equals("getClass")) {
                continue;
            }
            Object v;
            try {
                v = g.invoke(o);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new AssertionError(e);
            }
            if (g.getName().equals("getAdditionalProperties")) {
                if (v instanceof Map<?, ?> ap && !ap.isEmpty()) {
                    out.add(path + ": unknown " + ap.keySet());
                }
            } else {
                walk(v, path + "." + g.getName().substring(3), out);
            }
        }
    }
}
