package dev.vmforge.os;

import org.junit.jupiter.api.function.Executable;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shared by the reader tests: a reader for a project {@code demo:1}, and the shape of a configuration error. */
final class ReaderTesting {
    private ReaderTesting() {
    }

    static ConfigurationReader reader(Path baseDirectory) {
        return new ConfigurationReader(new ProjectContext(baseDirectory, "demo", "1", "demo-1", "pom"));
    }

    /** Asserts that reading fails at one element with a message that carries the fix. */
    static InvalidConfigurationException assertInvalid(String element, String fixHint, Executable read) {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, read);
        assertEquals(element, e.element(), e.getMessage());
        assertTrue(e.getMessage().startsWith("<" + element + ">: "), e.getMessage());
        assertTrue(e.getMessage().contains(fixHint), "message lacks '" + fixHint + "': " + e.getMessage());
        return e;
    }
}
