package dev.vmforge.configure;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmforge.BuildException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigureFailureTest {
    private static final String DPKG_OUTPUT = String.join("\n",
            "Setting up libc6:amd64 (2.36-9+deb12u10) ...",
            "Setting up broken (1.0) ...",
            "broken: cannot create /etc/broken.conf",
            "dpkg: error processing package broken (--configure):",
            " installed broken package post-installation script subprocess returned error exit status 1",
            "dpkg: dependency problems prevent configuration of needs-broken:",
            " needs-broken depends on broken; however:",
            "  Package broken is not configured yet.",
            "",
            "dpkg: error processing package needs-broken (--configure):",
            " dependency problems - leaving unconfigured",
            "Setting up zlib1g:amd64 (1:1.2.13.dfsg-1) ...",
            "Errors were encountered while processing:",
            " broken",
            " needs-broken",
            "");

    @Test
    void namesTheFirstFailingPackageAndQuotesItsScriptsOutput() {
        BuildException e = ConfigureFailure.of("failed dpkg", DPKG_OUTPUT, Path.of("/tmp/out.log"));
        String message = e.getMessage();
        assertTrue(message.contains("maintainer script of package broken failed"), message);
        assertTrue(message.contains("broken: cannot create /etc/broken.conf"), message);
        assertTrue(message.contains("post-installation script subprocess returned error exit status 1"), message);
        assertTrue(message.contains("also not configured: needs-broken"), message);
        assertTrue(message.contains("/tmp/out.log"), message);
        assertFalse(message.contains("libc6"), "output of packages that configured fine is left out: " + message);
    }

    @Test
    void aFailedPreinstIsNamedWithItsOutput() {
        String output = "vmforge: running preinst install of base-files\nvmforge: running preinst install of evil\n"
                + "evil: refusing to install\n";
        String message = ConfigureFailure.of("failed preinst evil", output, Path.of("x.log")).getMessage();
        assertTrue(message.contains("preinst of package evil failed"), message);
        assertTrue(message.contains("evil: refusing to install"), message);
        assertFalse(message.contains("base-files"), message);
    }

    @Test
    void unparsableOutputFallsBackToItsTail() {
        String message = ConfigureFailure.of("failed tar", "tar: write error: No space left on device\n",
                Path.of("x.log")).getMessage();
        assertTrue(message.contains("failed tar") && message.contains("No space left on device"), message);
    }
}
