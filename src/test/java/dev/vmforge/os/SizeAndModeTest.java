package dev.vmforge.os;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.vmforge.os.ReaderTesting.assertInvalid;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SizeAndModeTest {
    @ParameterizedTest
    @CsvSource({"512M, 536870912", "2G, 2147483648", "1024K, 1048576", "1T, 1099511627776", "4096, 4096",
            "2g, 2147483648", "2GiB, 2147483648", "0, 0"})
    void sizesUseBinaryUnits(String text, long bytes) {
        assertEquals(bytes, ConfigurationReader.parseSize("image/size", text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2GB", "1.5G", "-1", "G", "2 G x", "two"})
    void malformedSizeIsRefused(String text) {
        assertInvalid("image/size", "followed by K, M, G or T", () -> ConfigurationReader.parseSize("image/size", text));
    }

    @Test
    void overflowingSizeIsRefused() {
        assertInvalid("x/size", "is too large", () -> ConfigurationReader.parseSize("x/size", "9999999999999T"));
        assertInvalid("x/size", "is too large", () -> ConfigurationReader.parseSize("x/size", "99999999999999999999"));
    }

    @ParameterizedTest
    @CsvSource({"0644, 420", "644, 420", "0o755, 493", "0O755, 493", "4755, 2541", "07777, 4095", "0, 0"})
    void modesAreOctal(String text, int mode) {
        assertEquals(mode, ConfigurationReader.parseMode("file/mode", text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0648", "rw-r--r--", "0x1ff", "u+x"})
    void nonOctalModeIsRefused(String text) {
        assertInvalid("file/mode", "write octal permission bits such as 0644",
                () -> ConfigurationReader.parseMode("file/mode", text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10000", "017777", "77777"})
    void modeAbove07777IsRefused(String text) {
        assertInvalid("file/mode", "write only permission bits", () -> ConfigurationReader.parseMode("file/mode", text));
    }
}
