package io.kwsync.ingest.config;

import io.kwsync.ingest.convert.TombstoneMapper.Policy;
import io.kwsync.runtime.config.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

import static io.kwsync.ingest.config.IngestConfig.Layout.JSON_COLUMNS;
import static io.kwsync.ingest.config.IngestConfig.Layout.KEY_VALUE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** KWSYNC_TOMBSTONE at start: the four choices in any case, and the combinations that cannot work, naming the variable. */
class TombstoneSettingsTest {

    static String problem(String text, IngestConfig.Layout layout, boolean changeEvents) {
        var problems = new InvalidConfigurationException.Collector();
        assertNull(TombstoneSettings.read(text, layout, changeEvents, problems));
        String m = assertThrows(InvalidConfigurationException.class, problems::throwIfAny).getMessage();
        assertTrue(m.contains("KWSYNC_TOMBSTONE"), m);
        return m;
    }

    @Test
    void theChoicesAreReadInAnyCase() {
        var problems = new InvalidConfigurationException.Collector();
        assertEquals(Policy.ROW, TombstoneSettings.read("row", KEY_VALUE, true, problems));
        assertEquals(Policy.DELETE, TombstoneSettings.read(" Delete ", JSON_COLUMNS, false, problems));
        assertEquals(Policy.IGNORE, TombstoneSettings.read("IGNORE", KEY_VALUE, false, problems));
        assertEquals(Policy.ERROR, TombstoneSettings.read("error", KEY_VALUE, false, problems));
        assertTrue(problems.isEmpty());
    }

    @Test
    void whatCannotWorkStopsTheStart() {
        assertTrue(problem("drop", JSON_COLUMNS, false).contains("row, delete, ignore, error"));
        assertTrue(problem("delete", KEY_VALUE, false).contains("KWSYNC_RECORD_LAYOUT=json-columns"));
        assertTrue(problem("ignore", JSON_COLUMNS, true).contains("change-event"));
    }
}
