package io.kwsync.emulator.maxcompute.junit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a static {@code MaxComputeEmulator} field of a test class: an emulator on a free port, holding the named empty
 * project, is there before the class's first test and closed after its last ({@link LocalMaxComputeExtension}).
 * Tests that need one configured otherwise (limits, a clock, credentials) build their own.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(LocalMaxComputeExtension.class)
public @interface LocalMaxCompute {

    /** The project created in the emulator. */
    String project();
}
