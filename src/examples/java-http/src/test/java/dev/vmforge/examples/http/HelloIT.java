package dev.vmforge.examples.http;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Calls the service running in the VM that vm:start booted: failsafe passes the forwarded port the plugin chose as
 * the system properties vm.host and vm.port.8080 (see the pom's systemPropertyVariables).
 */
class HelloIT {
    @Test
    void greetsThroughTheForwardedPort() throws Exception {
        URI uri = URI.create("http://" + System.getProperty("vm.host") + ":" + System.getProperty("vm.port.8080") + "/");
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode());
        assertTrue(response.body().startsWith("Hello from java-http on Java 17"), response.body());
        System.out.println("HelloIT: " + uri + " answered " + response.statusCode() + ": " + response.body().strip());
    }
}
