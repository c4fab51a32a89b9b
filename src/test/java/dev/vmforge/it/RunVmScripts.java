package dev.vmforge.it;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Runs a generated {@code run-vm.sh} in the background and fetches a page through its forwarded port, for the
 * integration tests' verify scripts; the VM is stopped afterwards, whatever happened.
 */
public final class RunVmScripts {
    private RunVmScripts() {
    }

    /**
     * @param console where the script's output (QEMU's serial console) goes, for the failure message
     * @return the page, or null when none came within {@code timeoutSeconds} or the VM stopped first
     */
    public static String fetch(File script, String url, File console, int timeoutSeconds)
            throws IOException, InterruptedException {
        return fetchWithListeners(script, url, console, timeoutSeconds).page();
    }

    /** A page and the addresses listening on its port while the VM ran ({@code ss -ltn}). */
    public record Fetched(String page, List<String> listeners) {
    }

    /** Like {@link #fetch}, and says who listened on the URL's port once the page came. */
    public static Fetched fetchWithListeners(File script, String url, File console, int timeoutSeconds)
            throws IOException, InterruptedException {
        int port = new URL(url).getPort();
        Process vm = new ProcessBuilder("sh", script.getPath()).redirectErrorStream(true)
                .redirectOutput(console).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try {
            for (int i = 0; i < timeoutSeconds && vm.isAlive(); i++) {
                try {
                    HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
                    connection.setConnectTimeout(2000);
                    connection.setReadTimeout(5000);
                    try (InputStream in = connection.getInputStream()) {
                        String page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                        return new Fetched(page, Listeners.on(port));
                    }
                } catch (IOException notYet) {
                    Thread.sleep(1000);
                }
            }
            return new Fetched(null, List.of());
        } finally {
            vm.destroy();
            vm.waitFor();
        }
    }
}
