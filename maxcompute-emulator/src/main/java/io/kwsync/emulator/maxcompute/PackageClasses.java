package io.kwsync.emulator.maxcompute;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Loads every class of the emulator's package, through the loader that loaded the emulator, when an emulator starts.
 * Quarkus tests start it inside an application class loader that they close when the application restarts; a class
 * first needed after that would come from the parent loader instead, and package-private access between the two
 * halves fails with IllegalAccessError. Loaded up front, the emulator stays within one loader. Best effort: where the
 * classes cannot be listed, they load lazily as usual.
 */
final class PackageClasses {

    private PackageClasses() {
    }

    static void loadAll() {
        ClassLoader loader = PackageClasses.class.getClassLoader();
        String pkg = PackageClasses.class.getPackageName();
        try {
            for (String name : list(pkg)) Class.forName(name, false, loader);
        } catch (IOException | URISyntaxException | ClassNotFoundException | RuntimeException | LinkageError e) {
            // lazily loaded classes work everywhere but in a closed Quarkus loader; nothing to report
        }
    }

    private static List<String> list(String pkg) throws IOException, URISyntaxException {
        URL location = PackageClasses.class.getProtectionDomain().getCodeSource().getLocation();
        Path root = Path.of(location.toURI());
        String dir = pkg.replace('.', '/') + "/";
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(root)) {
            try (Stream<Path> files = Files.list(root.resolve(dir))) {
                files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".class"))
                        .forEach(f -> names.add(pkg + "." + f.substring(0, f.length() - ".class".length())));
            }
        } else {
            try (JarFile jar = new JarFile(root.toFile())) {
                for (JarEntry e : java.util.Collections.list(jar.entries())) {
                    String n = e.getName();
                    if (n.startsWith(dir) && n.endsWith(".class") && n.indexOf('/', dir.length()) < 0) {
                        names.add(n.substring(0, n.length() - ".class".length()).replace('/', '.'));
                    }
                }
            }
        }
        return names;
    }
}
