package dev.vmforge.it.start;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Both VMs answer through the host ports vm:start chose, each listening on its own address only. */
class TwoVmsIT {
    @Test
    void bothVmsServeThePage() throws Exception {
        assertFalse(Boolean.getBoolean("it.fail"), "failing on purpose (-Pfail-before-stop)");
        for (String vm : List.of("first", "second")) {
            URI uri = URI.create(System.getProperty(vm + ".url"));
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), vm + ": " + uri);
            assertTrue(response.body().contains("vm-start: served by busybox httpd"), response.body());
            List<String> listeners = listeners(uri.getPort());
            assertEquals(List.of(uri.getHost() + ":" + uri.getPort()), listeners, vm + " listens on " + listeners);
            System.out.println("TwoVmsIT: " + vm + " answered " + response.statusCode() + " at " + uri
                    + "; ss -ltn: " + listeners);
        }
    }

    /** The local addresses listening on {@code port}, as {@code ss -ltn} lists them. */
    private static List<String> listeners(int port) throws Exception {
        Process ss = new ProcessBuilder("ss", "-Hltn").redirectErrorStream(true).start();
        String output = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, ss.waitFor(), output);
        List<String> addresses = new ArrayList<>();
        for (String line : output.split("\n")) {
            String[] columns = line.trim().split("\\s+");
            if (columns.length >= 4 && columns[3].endsWith(":" + port)) {
                addresses.add(columns[3]);
            }
        }
        return addresses;
    }
}
