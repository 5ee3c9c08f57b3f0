package io.kwsync.sink.nativeimage;

import com.aliyun.odps.Odps;
import com.aliyun.odps.OdpsType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The native-image registrations sink-service ships for odps-sdk-core (src/main/resources/META-INF/native-image/
 * io.kwsync/sink-service/), derived here from the SDK's own jars so that they stay complete when the SDK changes:
 * <ul>
 * <li>reflection on every SDK class its shaded Simple XML framework or Gson binds (classes, fields or methods
 * carrying their annotations, and the XML converters named by {@code @Convert}), which the framework instantiates
 * and fills by reflection;</li>
 * <li>reflection on the framework's own label, parameter and extractor classes, which it builds through their
 * constructors, on the collection and date types it instantiates, and on the XML parser factories it looks up;</li>
 * <li>dynamic proxies of the annotation types the framework synthesises for unannotated members;</li>
 * <li>the resources the SDK reads from its jars.</li>
 * </ul>
 * When the checked-in files differ, the expected ones are written to target/native-image/ to be reviewed and copied.
 * No native build runs here; this proves the registrations match the jars, not that the executable works.
 */
class NativeRegistrationsTest {

    static final Path DIR = Path.of("src/main/resources/META-INF/native-image/io.kwsync/sink-service");
    static final String XML = "com.aliyun.odps.simpleframework.xml.";
    /** The annotation types the framework's AnnotationFactory creates proxies of. */
    static final List<String> PROXIED = List.of("Attribute", "Element", "ElementArray", "ElementList", "ElementMap");
    /** Instantiated by the framework by class (collections, maps, dates) or looked up by name (XML parser factories). */
    static final List<String> FRAMEWORK_TARGETS = List.of("java.util.ArrayList", "java.util.HashMap", "java.util.HashSet",
            "java.util.LinkedHashMap", "java.util.TreeMap", "java.util.TreeSet", "java.util.Date", "java.sql.Date", "java.sql.Time",
            "java.sql.Timestamp", "com.sun.xml.internal.stream.XMLInputFactoryImpl", "org.xmlpull.mxp1.MXParserFactory",
            "org.xmlpull.mxp1.MXParser");

    @Test
    void reflectionProxiesAndResourcesCoverWhatTheSdkBindsAndReads() throws Exception {
        List<Path> jars = List.of(jarOf(Odps.class), jarOf(OdpsType.class));
        TreeSet<String> models = new TreeSet<>();
        TreeSet<String> internals = new TreeSet<>();
        TreeSet<String> resources = new TreeSet<>();
        List<String> unloadable = new ArrayList<>();
        ClassLoader cl = getClass().getClassLoader();
        Class<?> converter = Class.forName(XML + "convert.Converter", false, cl);
        Class<?> label = Class.forName(XML + "core.Label", false, cl);
        Class<?> parameter = Class.forName(XML + "core.Parameter", false, cl);
        Class<?> extractor = Class.forName(XML + "core.Extractor", false, cl);
        for (Path jar : jars) {
            try (JarFile jf = new JarFile(jar.toFile())) {
                for (JarEntry e : jf.stream().toList()) {
                    String n = e.getName();
                    if (e.isDirectory() || n.startsWith("META-INF/") || n.equals("builddef.lst")) continue;
                    if (!n.endsWith(".class")) {
                        resources.add(n);
                        continue;
                    }
                    String name = n.substring(0, n.length() - 6).replace('/', '.');
                    if (name.endsWith("module-info") || name.endsWith("package-info")) continue;
                    try {
                        Class<?> c = Class.forName(name, false, cl);
                        boolean concrete = !c.isInterface() && !Modifier.isAbstract(c.getModifiers());
                        if (name.startsWith(XML)) {
                            if (concrete && (label.isAssignableFrom(c) || parameter.isAssignableFrom(c) || extractor.isAssignableFrom(c))) {
                                internals.add(name);
                            }
                        } else if (bound(c) || concrete && converter.isAssignableFrom(c)) {
                            models.add(name);
                        }
                    } catch (ClassNotFoundException | LinkageError ex) {
                        unloadable.add(name); // needs a library the service does not ship: the SDK cannot use it either
                    }
                }
            }
        }
        assertTrue(models.size() > 100 && models.contains("com.aliyun.odps.Table$TableModel"), "the scan finds the SDK's models: " + models.size());
        assertTrue(internals.contains(XML + "core.ElementLabel"), internals.toString());

        String reflect = reflectConfig(models, internals);
        String proxies = proxyConfig();
        String resourceConfig = resourceConfig(resources);
        Path out = Path.of("target/native-image");
        Files.createDirectories(out);
        Files.writeString(out.resolve("reflect-config.json"), reflect);
        Files.writeString(out.resolve("proxy-config.json"), proxies);
        Files.writeString(out.resolve("resource-config.json"), resourceConfig);
        String hint = " differs from what the SDK's jars need; review target/native-image/ and copy it to " + DIR
                + " (classes that could not be loaded: " + unloadable.size() + ")";
        assertEquals(reflect, read("reflect-config.json"), "reflect-config.json" + hint);
        assertEquals(proxies, read("proxy-config.json"), "proxy-config.json" + hint);
        assertEquals(resourceConfig, read("resource-config.json"), "resource-config.json" + hint);
    }

    @Test
    void everyRegisteredClassExists() throws IOException {
        JsonNode reflect = new ObjectMapper().readTree(DIR.resolve("reflect-config.json").toFile());
        List<String> missing = new ArrayList<>();
        for (JsonNode entry : reflect) {
            String name = entry.path("name").asText();
            try {
                Class.forName(name, false, getClass().getClassLoader());
            } catch (ClassNotFoundException e) {
                missing.add(name);
            }
        }
        assertEquals(List.of(), missing);
        assertTrue(reflect.size() > 100);
    }

    /** Whether the SDK's Simple XML framework or Gson binds the class: annotations of theirs on it or its members. */
    static boolean bound(Class<?> c) {
        if (ours(c.getDeclaredAnnotations())) return true;
        for (AccessibleObject[] members : List.of(c.getDeclaredFields(), c.getDeclaredMethods(), c.getDeclaredConstructors())) {
            for (AccessibleObject m : members) if (ours(m.getDeclaredAnnotations())) return true;
        }
        return false;
    }

    static boolean ours(Annotation[] annotations) {
        return Stream.of(annotations).map(a -> a.annotationType().getName())
                .anyMatch(n -> n.startsWith(XML) || n.startsWith("com.google.gson.annotations."));
    }

    static String reflectConfig(TreeSet<String> models, TreeSet<String> internals) {
        List<String> entries = new ArrayList<>();
        for (String m : models) {
            entries.add("{\"name\": \"" + m + "\", \"allDeclaredConstructors\": true, \"allDeclaredFields\": true, \"allDeclaredMethods\": true}");
        }
        for (String i : internals) entries.add("{\"name\": \"" + i + "\", \"allDeclaredConstructors\": true, \"allPublicConstructors\": true}");
        for (String t : FRAMEWORK_TARGETS) entries.add("{\"name\": \"" + t + "\", \"allPublicConstructors\": true}");
        return "[\n  " + String.join(",\n  ", entries) + "\n]\n";
    }

    static String proxyConfig() {
        return "[\n  " + String.join(",\n  ", PROXIED.stream().map(a -> "{\"interfaces\": [\"" + XML + a + "\"]}").toList()) + "\n]\n";
    }

    static String resourceConfig(TreeSet<String> resources) {
        List<String> patterns = new ArrayList<>(resources.stream().map(r -> "{\"pattern\": \"\\\\Q" + r + "\\\\E\"}").toList());
        // xpp3 finds its parser factory through this file (the framework's fallback XML parser)
        patterns.add("{\"pattern\": \"\\\\QMETA-INF/services/org.xmlpull.v1.XmlPullParserFactory\\\\E\"}");
        return "{\n  \"resources\": {\n    \"includes\": [\n      " + String.join(",\n      ", patterns) + "\n    ]\n  }\n}\n";
    }

    static String read(String file) throws IOException {
        Path p = DIR.resolve(file);
        return Files.exists(p) ? Files.readString(p) : "(missing)";
    }

    static Path jarOf(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
