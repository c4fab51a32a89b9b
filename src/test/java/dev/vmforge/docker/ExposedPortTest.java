package dev.vmforge.docker;

import dev.vmforge.os.InvalidConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExposedPortTest {

    @Test
    void bareNumberMeansTcp() {
        assertEquals("8080/tcp", ExposedPort.parse("8080").toString());
        assertEquals("8080/tcp", ExposedPort.parse(" 8080/tcp ").toString());
        assertEquals(new ExposedPort(53, "udp"), ExposedPort.parse("53/udp"));
        assertEquals(65535, ExposedPort.parse("65535").number());
        assertEquals("9/sctp", ExposedPort.parse("9/sctp").toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "http", "0", "65536", "99999", "8080/icmp", "8080/TCP", "-1", "80-90", "8080/"})
    void refusesOtherForms(String port) {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class,
                () -> ExposedPort.parse(port));
        assertEquals("docker/ports", e.element());
        assertTrue(e.getMessage().contains("port"), e.getMessage());
    }
}
