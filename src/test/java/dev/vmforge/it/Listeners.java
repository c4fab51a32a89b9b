package dev.vmforge.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Which local addresses listen on a TCP port, as {@code ss -ltn} shows them (e.g. {@code 127.0.0.1:18431}). */
public final class Listeners {
    private Listeners() {
    }

    public static List<String> on(int port) throws IOException, InterruptedException {
        Process ss = new ProcessBuilder("ss", "-Hltn").redirectErrorStream(true).start();
        String output = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (ss.waitFor() != 0) {
            throw new IOException("ss -Hltn failed: " + output);
        }
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
