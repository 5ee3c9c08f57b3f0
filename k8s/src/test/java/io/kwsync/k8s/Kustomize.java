package io.kwsync.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders a kustomization the way kustomize does for the features our manifests use: resources (files and
 * directories), configMapGenerator (envs, literals; behavior create/merge/replace), strategic-merge patches by
 * path, images and namespace. Anything else fails, so that a manifest using a new feature extends this renderer
 * instead of passing unchecked. Generated names carry no hash suffix here (kustomize adds one and rewrites the
 * references, which does not change what is checked).
 */
final class Kustomize {

    private static final Set<String> SUPPORTED = Set.of("apiVersion", "kind", "resources", "namespace", "images",
            "configMapGenerator", "patches");
    /** Strategic-merge keys of the lists our patches touch (as in the Kubernetes API's patchMergeKey). */
    private static final Map<String, String> MERGE_KEYS = Map.of("containers", "name", "initContainers", "name",
            "env", "name", "volumes", "name", "volumeMounts", "mountPath", "ports", "containerPort", "imagePullSecrets", "name");

    private Kustomize() {
    }

    static Path kustomization(Path dir) {
        return dir.resolve("kustomization.yaml");
    }

    /** Every file a kustomization names (resources, generator inputs, patches), whether or not it exists. */
    static List<Path> referencedFiles(Path dir) {
        ObjectNode k = Repo.yaml(kustomization(dir)).get(0);
        List<Path> out = new ArrayList<>();
        k.path("resources").forEach(r -> out.add(dir.resolve(r.asText()).normalize()));
        k.path("configMapGenerator").forEach(g -> g.path("envs").forEach(e -> out.add(dir.resolve(e.asText()).normalize())));
        k.path("patches").forEach(p -> out.add(dir.resolve(p.path("path").asText()).normalize()));
        return out;
    }

    static List<ObjectNode> render(Path dir) {
        ObjectNode k = Repo.yaml(kustomization(dir)).get(0);
        k.fieldNames().forEachRemaining(f -> {
            if (!SUPPORTED.contains(f)) throw new IllegalStateException(kustomization(dir) + ": '" + f + "' is not supported by the test renderer; extend Kustomize.java");
        });
        List<ObjectNode> out = new ArrayList<>();
        for (JsonNode r : k.path("resources")) {
            Path p = dir.resolve(r.asText()).normalize();
            if (Files.isDirectory(p)) out.addAll(render(p));
            else out.addAll(Repo.yaml(p));
        }
        for (JsonNode g : k.path("configMapGenerator")) generate(dir, (ObjectNode) g, out);
        for (JsonNode p : k.path("patches")) {
            if (p.has("target") || !p.has("path")) throw new IllegalStateException("only patches with a path and no target are supported");
            for (ObjectNode patch : Repo.yaml(dir.resolve(p.path("path").asText()))) {
                ObjectNode target = find(out, patch.path("kind").asText(), patch.path("metadata").path("name").asText());
                merge(target, patch);
            }
        }
        for (JsonNode image : k.path("images")) setImage(out, image);
        if (k.has("namespace")) {
            for (ObjectNode r : out) {
                if (!r.path("kind").asText().equals("Namespace")) ((ObjectNode) r.get("metadata")).put("namespace", k.get("namespace").asText());
            }
        }
        return out;
    }

    static ObjectNode find(List<ObjectNode> resources, String kind, String name) {
        return resources.stream().filter(r -> r.path("kind").asText().equals(kind) && r.path("metadata").path("name").asText().equals(name))
                .findFirst().orElseThrow(() -> new IllegalStateException("no " + kind + " " + name + " to patch or merge"));
    }

    private static void generate(Path dir, ObjectNode g, List<ObjectNode> out) {
        String name = g.path("name").asText();
        Map<String, String> data = new LinkedHashMap<>();
        for (JsonNode env : g.path("envs")) data.putAll(envFile(dir.resolve(env.asText())));
        for (JsonNode literal : g.path("literals")) {
            String[] kv = literal.asText().split("=", 2);
            data.put(kv[0], kv[1]);
        }
        String behavior = g.path("behavior").asText("create");
        ObjectNode cm;
        if (behavior.equals("create")) {
            cm = Repo.YAML.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
            cm.putObject("metadata").put("name", name);
            cm.putObject("data");
            out.add(cm);
        } else {
            cm = find(out, "ConfigMap", name);
            if (behavior.equals("replace")) cm.putObject("data");
            else if (!behavior.equals("merge")) throw new IllegalStateException("unknown generator behavior " + behavior);
        }
        data.forEach(((ObjectNode) cm.get("data"))::put);
    }

    /** KEY=VALUE lines; blank lines and # comments skipped (kustomize's env file format). */
    static Map<String, String> envFile(Path file) {
        Map<String, String> data = new LinkedHashMap<>();
        for (String line : Repo.read(file).split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) continue;
            int eq = l.indexOf('=');
            if (eq <= 0) throw new IllegalStateException(file + ": not KEY=VALUE: " + l);
            data.put(l.substring(0, eq), l.substring(eq + 1));
        }
        return data;
    }

    /** Strategic merge: maps merge, lists with a merge key merge by it, other lists and scalars are replaced. */
    static void merge(ObjectNode target, ObjectNode patch) {
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().startsWith("$")) throw new IllegalStateException("patch directive " + f.getKey() + " is not supported");
            JsonNode existing = target.get(f.getKey());
            if (f.getValue().isObject() && existing != null && existing.isObject()) {
                merge((ObjectNode) existing, (ObjectNode) f.getValue());
            } else if (f.getValue().isArray() && existing != null && existing.isArray() && MERGE_KEYS.containsKey(f.getKey())) {
                String key = MERGE_KEYS.get(f.getKey());
                for (JsonNode item : f.getValue()) {
                    ObjectNode match = null;
                    for (JsonNode e : existing) {
                        if (e.path(key).equals(item.path(key))) match = (ObjectNode) e;
                    }
                    if (match != null) merge(match, (ObjectNode) item);
                    else ((ArrayNode) existing).add(item.deepCopy());
                }
            } else {
                target.set(f.getKey(), f.getValue().deepCopy());
            }
        }
    }

    private static void setImage(List<ObjectNode> out, JsonNode image) {
        String name = image.path("name").asText();
        for (ObjectNode r : out) {
            for (JsonNode c : r.path("spec").path("template").path("spec").path("containers")) {
                String current = c.path("image").asText();
                int colon = current.lastIndexOf(':');
                boolean tagged = colon > current.lastIndexOf('/');
                String repo = tagged ? current.substring(0, colon) : current;
                if (!repo.equals(name)) continue;
                String tag = image.has("newTag") ? image.get("newTag").asText() : tagged ? current.substring(colon + 1) : null;
                ((ObjectNode) c).put("image", image.path("newName").asText(repo) + (tag == null ? "" : ":" + tag));
            }
        }
    }
}
