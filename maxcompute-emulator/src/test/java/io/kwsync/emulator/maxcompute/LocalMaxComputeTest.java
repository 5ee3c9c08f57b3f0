package io.kwsync.emulator.maxcompute;

import io.kwsync.emulator.maxcompute.junit.LocalMaxCompute;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link LocalMaxCompute}: the emulator and its project are there before the class's own set-up and its tests. */
class LocalMaxComputeTest {

    @LocalMaxCompute(project = "ext_project")
    static MaxComputeEmulator mc;

    @BeforeAll
    static void createTable() {
        assertNotNull(mc, "started before the class's @BeforeAll");
        mc.execute("ext_project", "CREATE TABLE t (a STRING)");
    }

    @Test
    void theNamedProjectIsThereAndNoOther() {
        assertEquals(0, mc.rowCount("ext_project", "t"));
        assertThrows(IllegalArgumentException.class, () -> mc.execute("other_project", "CREATE TABLE t (a STRING)"));
    }
}
