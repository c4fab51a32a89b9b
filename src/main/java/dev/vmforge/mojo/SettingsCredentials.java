package dev.vmforge.mojo;

import dev.vmforge.BuildException;
import dev.vmforge.registry.CredentialSource;
import dev.vmforge.registry.Credentials;
import dev.vmforge.registry.RegistryReference;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

import java.util.Optional;

/**
 * Registry credentials from Maven's settings.xml: the {@code <server>} whose {@code <id>} is the registry's
 * {@code host[:port]} (for Docker Hub also {@code docker.io}, {@code index.docker.io} or
 * {@code registry-1.docker.io}), its password decrypted as Maven decrypts it (settings-security.xml).
 */
final class SettingsCredentials implements CredentialSource {
    private final Settings settings;
    private final SettingsDecrypter decrypter;

    SettingsCredentials(Settings settings, SettingsDecrypter decrypter) {
        this.settings = settings;
        this.decrypter = decrypter;
    }

    @Override
    public Optional<Credentials> lookup(String registry) {
        if (settings == null) {
            return Optional.empty();
        }
        for (String id : RegistryReference.credentialKeys(registry)) {
            Server server = settings.getServer(id);
            if (server != null) {
                return Optional.of(credentials(decrypt(server)));
            }
        }
        return Optional.empty();
    }

    private Server decrypt(Server server) {
        SettingsDecryptionResult result = decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
        for (SettingsProblem problem : result.getProblems()) {
            if (problem.getSeverity() != SettingsProblem.Severity.WARNING) {
                // the problem's text names the server and the cipher's failure, never the password
                throw new BuildException("Cannot decrypt the password of the settings.xml server '" + server.getId()
                        + "': " + problem.getMessage() + ". Check ~/.m2/settings-security.xml (-Dsettings.security)"
                        + " and the encrypted password (mvn --encrypt-password)");
            }
        }
        return result.getServer();
    }

    private static Credentials credentials(Server server) {
        String origin = "settings.xml server '" + server.getId() + "'";
        if (server.getUsername() == null || server.getUsername().isBlank()) {
            throw new BuildException("The settings.xml server '" + server.getId() + "' has no <username>: give the"
                    + " registry user name and <password> (or remove the server to use docker's or podman's login)");
        }
        return Credentials.password(server.getUsername(), server.getPassword() == null ? "" : server.getPassword(),
                origin);
    }
}
