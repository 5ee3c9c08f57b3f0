package io.kwsync.k8s;

import io.kwsync.runtime.config.EnvVars;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The KWSYNC_* variables a service really reads: every key of its {@code @ConfigMapping} interfaces (found in its
 * compiled classes, read by reflection as SmallRye Config names them) plus the variables its
 * application.properties references directly.
 */
record ServiceSettings(String module, Set<String> variables, Set<String> prefixes, Properties properties) {

    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{(KWSYNC_[A-Z0-9_]+)");
    private static final String CONFIG_MAPPING = "Lio/smallrye/config/ConfigMapping;";

    static ServiceSettings of(String module) {
        Path dir = Repo.ROOT.resolve(module);
        Set<String> variables = new TreeSet<>();
        Set<String> prefixes = new TreeSet<>();
        for (Class<?> mapping : configMappings(dir.resolve("target/classes"), SHARED_CLASSES)) {
            walk(mapping.getAnnotation(ConfigMapping.class).prefix(), mapping, variables, prefixes);
        }
        Properties properties = new Properties();
        Path file = dir.resolve("src/main/resources/application.properties");
        String text = Repo.read(file);
        try {
            properties.load(new java.io.StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Matcher m = ENV_REFERENCE.matcher(text);
        while (m.find()) variables.add(m.group(1));
        return new ServiceSettings(module, variables, prefixes, properties);
    }

    /** True when the service reads this variable (Map-valued keys accept any name below their prefix). */
    boolean reads(String variable) {
        return variables.contains(variable) || prefixes.stream().anyMatch(variable::startsWith);
    }

    /** The default after ':' in a line like {@code quarkus.http.port=${KWSYNC_HTTP_PORT:8080}}. */
    String defaultOf(String property) {
        String v = properties.getProperty(property, "");
        Matcher m = Pattern.compile("\\$\\{[^:}]+:([^}]*)}").matcher(v);
        return m.matches() ? m.group(1) : v;
    }

    /** The shared modules' classes, which the configuration interfaces extend. */
    private static final Path[] SHARED_CLASSES = {Repo.ROOT.resolve("shared-runtime/target/classes"),
            Repo.ROOT.resolve("shared-model/target/classes")};

    private static Set<Class<?>> configMappings(Path classes, Path... sharedClasses) {
        Set<Class<?>> out = new java.util.LinkedHashSet<>();
        Path[] dirs = new Path[sharedClasses.length + 1];
        dirs[0] = classes;
        System.arraycopy(sharedClasses, 0, dirs, 1, sharedClasses.length);
        ClassLoader loader = new OwnClassesFirst(dirs);
        try (var files = Files.walk(classes)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                // Only classes that mention the annotation are loaded: the others need Quarkus on the class path.
                if (!new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(CONFIG_MAPPING)) continue;
                String name = classes.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> c = Class.forName(name, false, loader);
                if (c.isAnnotationPresent(ConfigMapping.class)) out.add(c);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        if (out.isEmpty()) throw new IllegalStateException("no @ConfigMapping interface in " + classes + ": compile the services first");
        return out;
    }

    private static void walk(String prefix, Class<?> group, Set<String> variables, Set<String> prefixes) {
        for (Method method : group.getMethods()) {
            if (Modifier.isStatic(method.getModifiers()) || method.isDefault() || method.getParameterCount() > 0) continue;
            String name = method.isAnnotationPresent(WithName.class) ? method.getAnnotation(WithName.class).value() : kebab(method.getName());
            String property = method.isAnnotationPresent(WithParentName.class) ? prefix : prefix + "." + name;
            Type type = method.getGenericReturnType();
            Class<?> raw = method.getReturnType();
            if (raw == Optional.class && type instanceof ParameterizedType p && p.getActualTypeArguments()[0] instanceof Class<?> inner) {
                raw = inner;
            }
            if (Map.class.isAssignableFrom(raw)) {
                prefixes.add(EnvVars.of(property) + "_");
            } else if (raw.isInterface() && !raw.getName().startsWith("java.") && raw != OptionalInt.class && raw != OptionalLong.class) {
                walk(property, raw, variables, prefixes);
            } else {
                variables.add(EnvVars.of(property));
            }
        }
    }

    /**
     * Loads io.kwsync classes from this checkout's target/classes before the class path, which may hold an older
     * SNAPSHOT jar from the local Maven repository when the module is built alone (-pl k8s).
     */
    static final class OwnClassesFirst extends java.net.URLClassLoader {
        OwnClassesFirst(Path... dirs) {
            super(java.util.Arrays.stream(dirs).map(ServiceSettings::url).toArray(java.net.URL[]::new), ServiceSettings.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                if (name.startsWith("io.kwsync.")) {
                    Class<?> c = findLoadedClass(name);
                    if (c == null) {
                        try {
                            c = findClass(name);
                        } catch (ClassNotFoundException e) {
                            c = super.loadClass(name, false);
                        }
                    }
                    return c;
                }
                return super.loadClass(name, resolve);
            }
        }
    }

    private static java.net.URL url(Path dir) {
        try {
            return dir.toUri().toURL();
        } catch (java.net.MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SmallRye Config's default naming: bootstrapServers -> bootstrap-servers, krb5Conf -> krb5-conf. */
    static String kebab(String method) {
        return method.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
