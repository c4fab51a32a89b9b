package dev.vmforge.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Maven runs of an IT's verify.groovy (a build per "machine"): the Maven running the IT, the ITs' local
 * repository, a settings.xml with the registry's user and the substitutes' key passphrase. Each run's output is
 * kept in {@code work/NAME.log}; a run that fails, or whose output shows a secret, fails the IT.
 */
public final class MavenRuns {
    private final Path basedir;
    private final Path work;
    private final Path settings;
    private final String localRepository;
    private final List<String> secrets;

    private MavenRuns(Path basedir, Path work, Path settings, String localRepository, List<String> secrets) {
        this.basedir = basedir;
        this.work = work;
        this.settings = settings;
        this.localRepository = localRepository;
        this.secrets = List.copyOf(secrets);
    }

    /**
     * @param registry   {@code host:port}, whose settings.xml server gets {@code user} and {@code password}
     * @param passphrase the settings.xml server {@code vm-substitutes}'s {@code <passphrase>}
     */
    public static MavenRuns create(Path basedir, Path work, String localRepository, String registry, String user,
                                   String password, String passphrase) throws IOException {
        String repositoryUrl = Path.of(localRepository).toUri().toString();
        Path settings = work.resolve("settings.xml");
        Files.createDirectories(work);
        Files.writeString(settings, "<settings>\n  <servers>\n"
                + "    <server><id>" + registry + "</id><username>" + user + "</username><password>" + password
                + "</password></server>\n"
                + "    <server><id>vm-substitutes</id><passphrase>" + passphrase + "</passphrase></server>\n"
                + "  </servers>\n"
                + "  <profiles><profile><id>it-repo</id>\n"
                + "    <repositories><repository><id>local.central</id><url>" + repositoryUrl
                + "</url></repository></repositories>\n"
                + "    <pluginRepositories><pluginRepository><id>local.central</id><url>" + repositoryUrl
                + "</url></pluginRepository></pluginRepositories>\n"
                + "  </profile></profiles>\n"
                + "  <activeProfiles><activeProfile>it-repo</activeProfile></activeProfiles>\n"
                + "</settings>\n", StandardCharsets.UTF_8);
        return new MavenRuns(basedir, work, settings, localRepository, List.of(password, passphrase));
    }

    /** Runs {@code mvn ARGS} in the project; returns its output once it succeeded without showing a secret. */
    public String run(String logName, List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("maven.home"), "bin", "mvn")
                .toString(), "-B", "-s", settings.toString(), "-Dmaven.repo.local=" + localRepository));
        command.addAll(arguments);
        long start = System.nanoTime();
        Path log = work.resolve(logName + ".log");
        Process process = new ProcessBuilder(command).directory(basedir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        int status = process.waitFor();
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.printf(Locale.ROOT, "[verify] %s: mvn %s: exit %d in %.0f s%n", logName,
                String.join(" ", arguments), status, (System.nanoTime() - start) / 1e9);
        if (status != 0) {
            throw new AssertionError(logName + ": mvn " + String.join(" ", arguments) + " failed:\n" + output);
        }
        for (String secret : secrets) {
            if (output.contains(secret)) {
                throw new AssertionError(logName + ": the output shows a secret (" + log + ")");
            }
        }
        return output;
    }
}
