package dev.vmforge.registry;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.vmforge.BuildLog;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A docker credential helper ({@code docker-credential-NAME get}, the protocol of docker's
 * credsStore/credHelpers): the server URL on its input, {@code {"Username":...,"Secret":...}} on its output.
 * It runs with a time limit (a keychain helper may wait for a user); its output is never logged.
 */
final class CredentialHelper {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final long TIMEOUT_SECONDS = 60;

    private final String name;
    private final String pathVariable;
    private final BuildLog log;

    CredentialHelper(String name, String pathVariable, BuildLog log) {
        this.name = name;
        this.pathVariable = pathVariable == null ? "" : pathVariable;
        this.log = log;
    }

    /** The helper's credentials for {@code serverUrl}; empty if it has none, is not installed or fails (warned). */
    Optional<Credentials> get(String serverUrl, String origin) {
        if (!NAME.matcher(name).matches()) {
            log.warn("Ignoring the credential helper '" + name + "' named in " + origin + ": not a helper name");
            return Optional.empty();
        }
        String program = "docker-credential-" + name;
        Optional<Path> executable = find(program);
        if (executable.isEmpty()) {
            log.warn(origin + " names the credential helper " + program + ", which is not on the PATH; its"
                    + " credentials are not used");
            return Optional.empty();
        }
        try {
            Process process = new ProcessBuilder(executable.get().toString(), "get").redirectErrorStream(true).start();
            CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            try (OutputStream in = process.getOutputStream()) {
                in.write(serverUrl.getBytes(StandardCharsets.UTF_8));
            }
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                log.warn(program + " did not answer within " + TIMEOUT_SECONDS + " s; its credentials are not used");
                return Optional.empty();
            }
            String text = new String(output.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                if (!text.toLowerCase(java.util.Locale.ROOT).contains("credentials not found")) {
                    log.warn(program + " get failed (exit " + process.exitValue() + "); its credentials are not used");
                }
                return Optional.empty();
            }
            JsonObject json = JsonParser.parseString(text).getAsJsonObject();
            String username = json.has("Username") ? json.get("Username").getAsString() : "";
            String secret = json.has("Secret") ? json.get("Secret").getAsString() : "";
            if (secret.isEmpty()) {
                return Optional.empty();
            }
            boolean token = username.equals("<token>");
            return Optional.of(new Credentials(username, secret, token, origin + " (" + program + ")"));
        } catch (IOException | RuntimeException | java.util.concurrent.ExecutionException
                 | java.util.concurrent.TimeoutException e) {
            // the exception's text may hold the helper's output: only its type is shown
            log.warn(program + " get failed (" + e.getClass().getSimpleName() + "); its credentials are not used");
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("Interrupted while running " + program);
        }
    }

    private Optional<Path> find(String program) {
        for (String directory : pathVariable.split(java.io.File.pathSeparator)) {
            if (!directory.isEmpty()) {
                Path candidate = Path.of(directory, program);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private static byte[] readAll(InputStream in) {
        try (in; ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
