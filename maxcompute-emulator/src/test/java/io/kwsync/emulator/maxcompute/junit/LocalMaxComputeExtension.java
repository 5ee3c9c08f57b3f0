package io.kwsync.emulator.maxcompute.junit;

import io.kwsync.emulator.maxcompute.MaxComputeEmulator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts and closes the emulators of a test class's {@link LocalMaxCompute} fields, once per class. Registered by the
 * annotation itself; a field that is not a static {@link MaxComputeEmulator} is a mistake in the test and fails it.
 */
public final class LocalMaxComputeExtension implements BeforeAllCallback, AfterAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) throws IllegalAccessException {
        for (Field f : fields(context.getRequiredTestClass())) {
            f.set(null, MaxComputeEmulator.start().createProject(f.getAnnotation(LocalMaxCompute.class).project()));
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws IllegalAccessException {
        for (Field f : fields(context.getRequiredTestClass())) {
            if (f.get(null) instanceof MaxComputeEmulator mc) {
                f.set(null, null); // nothing uses a closed emulator by mistake
                mc.close();
            }
        }
    }

    /** The annotated fields of the class and its superclasses, made accessible. */
    private static List<Field> fields(Class<?> type) {
        List<Field> out = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (!f.isAnnotationPresent(LocalMaxCompute.class)) continue;
                if (!Modifier.isStatic(f.getModifiers()) || Modifier.isFinal(f.getModifiers()) || f.getType() != MaxComputeEmulator.class) {
                    throw new ExtensionConfigurationException("@LocalMaxCompute goes on a static, non-final MaxComputeEmulator field, not on " + f);
                }
                f.setAccessible(true);
                out.add(f);
            }
        }
        return out;
    }
}
