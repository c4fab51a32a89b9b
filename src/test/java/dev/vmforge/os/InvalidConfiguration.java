package dev.vmforge.os;

import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Asserts that reading fails at one element with a message that carries the fix. */
final class InvalidConfiguration {
    private InvalidConfiguration() {
    }

    static InvalidConfigurationException assertInvalid(String element, String fixHint, Executable read) {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, read);
        assertEquals(element, e.element(), e.getMessage());
        assertTrue(e.getMessage().startsWith("<" + element + ">: "), e.getMessage());
        assertTrue(e.getMessage().contains(fixHint), "message lacks '" + fixHint + "': " + e.getMessage());
        return e;
    }
}
