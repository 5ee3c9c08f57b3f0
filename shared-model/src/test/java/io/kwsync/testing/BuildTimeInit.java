package io.kwsync.testing;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.channels.Channel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.Timer;
import java.util.concurrent.ExecutorService;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * What a native build would bake into the executable: a Quarkus native build initialises every class at build
 * time, so whatever a static field holds after class initialisation is stored in the image. A Random there is seeded
 * once at build time (GraalVM refuses it), a thread, socket, channel, executor or open file cannot be stored at all.
 * This initialises each class of a module (its compiled main classes) in this JVM and walks what its static fields
 * hold (into arrays, collections, maps and our own objects, a few levels deep), reporting each such object with the
 * path that reaches it. It cannot see what a native build would see in other libraries; those are left to the
 * Quarkus extensions and the build itself.
 */
public final class BuildTimeInit {

    private static final List<Class<?>> FORBIDDEN = List.of(Random.class, SplittableRandom.class, Thread.class, ThreadGroup.class,
            ExecutorService.class, Timer.class, Socket.class, ServerSocket.class, DatagramSocket.class, Channel.class,
            FileDescriptor.class, FileInputStream.class, FileOutputStream.class, RandomAccessFile.class, ZipFile.class);
    private static final int DEPTH = 6;

    private BuildTimeInit() {
    }

    /** The compiled main classes next to {@code anyMainClass} (its classes directory or jar must be a directory). */
    public static Path classesOf(Class<?> anyMainClass) {
        try {
            return Path.of(anyMainClass.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every problem found in the classes under {@code classes}, one line each; empty when there is none. */
    public static List<String> problems(Path classes) {
        List<String> out = new ArrayList<>();
        for (String name : classNames(classes)) {
            Class<?> c;
            try {
                c = Class.forName(name, true, BuildTimeInit.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                out.add(name + ": its class initialisation fails (" + e + ")");
                continue;
            }
            out.addAll(problems(c));
        }
        return out;
    }

    /** The problems one initialised class holds in its static fields. */
    public static List<String> problems(Class<?> c) {
        List<String> out = new ArrayList<>();
        Map<Object, Boolean> seen = new IdentityHashMap<>();
        for (Field f : c.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) continue;
            try {
                f.setAccessible(true);
                walk(f.get(null), c.getName() + "." + f.getName(), 0, seen, out);
            } catch (ReflectiveOperationException | RuntimeException e) {
                out.add(c.getName() + "." + f.getName() + ": cannot be read (" + e + ")");
            }
        }
        return out;
    }

    private static void walk(Object value, String path, int depth, Map<Object, Boolean> seen, List<String> out) throws IllegalAccessException {
        if (value == null || depth > DEPTH || seen.put(value, Boolean.TRUE) != null) return;
        for (Class<?> bad : FORBIDDEN) {
            if (bad.isInstance(value)) {
                out.add(path + " holds a " + value.getClass().getName() + " (" + bad.getSimpleName() + ")");
                return;
            }
        }
        Class<?> type = value.getClass();
        if (type.isArray()) {
            if (type.getComponentType().isPrimitive()) return;
            for (int i = 0; i < Array.getLength(value); i++) walk(Array.get(value, i), path + "[" + i + "]", depth + 1, seen, out);
        } else if (value instanceof Collection<?> col) {
            int i = 0;
            for (Object e : col) walk(e, path + "[" + i++ + "]", depth + 1, seen, out);
        } else if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                walk(e.getKey(), path + ".key", depth + 1, seen, out);
                walk(e.getValue(), path + "[" + e.getKey() + "]", depth + 1, seen, out);
            }
        } else if (type.getName().startsWith("io.kwsync.")) {
            for (Class<?> k = type; k != null && k.getName().startsWith("io.kwsync."); k = k.getSuperclass()) {
                for (Field f : k.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) continue;
                    f.setAccessible(true);
                    walk(f.get(value), path + "." + f.getName(), depth + 1, seen, out);
                }
            }
        }
    }

    private static List<String> classNames(Path classes) {
        try (Stream<Path> files = Files.walk(classes)) {
            return files.map(p -> classes.relativize(p).toString())
                    .filter(n -> n.endsWith(".class") && !n.endsWith("module-info.class") && !n.endsWith("package-info.class"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
