package dev.vmforge.debian;

import dev.vmforge.BuildException;
import dev.vmforge.BuildLog;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Reads the host's apt sources as the default {@code <distribution>}: deb822 files
 * {@code sources.list.d/*.sources} and one-line {@code sources.list} / {@code sources.list.d/*.list},
 * {@code deb} entries only (not {@code deb-src}), all suites.
 *
 * <p>Policy, so that a host's extra repositories cannot break or influence a build: only sources on a
 * Debian mirror ({@code *.debian.org}) are kept; each other source is skipped with one warning naming it.
 * A source's {@code Signed-By} keyring file is used when it exists; otherwise the bundled Debian keys.
 */
public final class HostAptSources {
    private HostAptSources() {
    }

    /**
     * @param aptDir       normally {@code /etc/apt}
     * @param architecture the architecture to install
     * @return the sources in file order (sources.list first, then sources.list.d sorted by name); empty when none
     */
    public static List<PackageSource> read(Path aptDir, String architecture, BuildLog log) {
        List<PackageSource> result = new ArrayList<>();
        Path main = aptDir.resolve("sources.list");
        if (Files.isRegularFile(main)) {
            readOneLine(main, architecture, log, result);
        }
        Path dir = aptDir.resolve("sources.list.d");
        if (Files.isDirectory(dir)) {
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.sorted().toList();
            } catch (IOException e) {
                throw new BuildException("Cannot list " + dir + ": " + e.getMessage(), e);
            }
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.endsWith(".list")) {
                    readOneLine(f, architecture, log, result);
                } else if (name.endsWith(".sources")) {
                    readDeb822(f, architecture, log, result);
                }
            }
        }
        return result;
    }

    private static void readOneLine(Path file, String architecture, BuildLog log, List<PackageSource> out) {
        for (String raw : readLines(file)) {
            String line = raw.replaceAll("#.*", "").strip();
            if (line.isEmpty()) {
                continue;
            }
            List<String> words = new ArrayList<>(List.of(line.split("\\s+")));
            if (!words.get(0).equals("deb")) {
                continue;
            }
            words.remove(0);
            String signedBy = null;
            if (!words.isEmpty() && words.get(0).startsWith("[")) {
                StringBuilder options = new StringBuilder();
                while (!words.isEmpty()) {
                    String w = words.remove(0);
                    options.append(' ').append(w);
                    if (w.endsWith("]")) {
                        break;
                    }
                }
                for (String option : options.toString().replace("[", " ").replace("]", " ").strip().split("\\s+")) {
                    if (option.toLowerCase(Locale.ROOT).startsWith("signed-by=")) {
                        signedBy = option.substring("signed-by=".length());
                    }
                }
            }
            if (words.size() < 2) {
                log.warn("Ignoring malformed line in " + file + ": " + raw);
                continue;
            }
            add(file, words.get(0), List.of(words.get(1)), words.subList(2, words.size()), signedBy, architecture, log, out);
        }
    }

    private static void readDeb822(Path file, String architecture, BuildLog log, List<PackageSource> out) {
        List<ControlParagraph> paragraphs;
        try {
            paragraphs = Deb822.parse(String.join("\n", readLines(file)), file.toString());
        } catch (IllegalArgumentException e) {
            log.warn("Ignoring unreadable apt source file " + e.getMessage());
            return;
        }
        for (ControlParagraph p : paragraphs) {
            if (!List.of(p.get("Types", "").split("\\s+")).contains("deb") || "no".equalsIgnoreCase(p.get("Enabled", "yes"))) {
                continue;
            }
            String signedBy = p.get("Signed-By");
            if (signedBy != null && signedBy.contains("\n")) {
                signedBy = null; // an inline key block: fall back to the bundled keys
            }
            List<String> components = List.of(p.get("Components", "").strip().split("\\s+"));
            for (String uri : p.get("URIs", "").strip().split("\\s+")) {
                if (!uri.isEmpty()) {
                    add(file, uri, List.of(p.get("Suites", "").strip().split("\\s+")), components, signedBy, architecture, log, out);
                }
            }
        }
    }

    private static void add(Path file, String uri, List<String> suites, List<String> components, String signedBy,
                            String architecture, BuildLog log, List<PackageSource> out) {
        URI mirror;
        try {
            mirror = URI.create(uri);
        } catch (IllegalArgumentException e) {
            log.warn("Ignoring apt source with a bad URI in " + file + ": " + uri);
            return;
        }
        if (!isDebianMirror(mirror)) {
            log.warn("Ignoring host apt source " + uri + " " + String.join(" ", suites) + " (" + file
                    + "): only Debian mirrors are taken from the host; declare other archives in <distribution>.");
            return;
        }
        Path keyring = signedBy == null || signedBy.isBlank() ? null : Path.of(signedBy.strip());
        if (keyring != null && !Files.isRegularFile(keyring)) {
            keyring = null;
        }
        List<String> comps = components.isEmpty() || components.get(0).isEmpty() ? List.of("main") : components;
        for (String suite : suites) {
            if (!suite.isBlank() && !suite.endsWith("/")) { // flat repositories ("./") are not supported
                out.add(new PackageSource(mirror, suite, comps, architecture, keyring));
            }
        }
    }

    static boolean isDebianMirror(URI uri) {
        String host = uri.getHost();
        return host != null && (host.equals("debian.org") || host.endsWith(".debian.org"));
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new BuildException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
