package dev.vmforge.mojo;

import dev.vmforge.BuildLog;
import dev.vmforge.os.pom.SubstitutesConfig;
import dev.vmforge.registry.CredentialChain;
import dev.vmforge.registry.CredentialSource;
import dev.vmforge.store.Substitutes;
import dev.vmforge.substitute.RegistrySubstitutes;
import dev.vmforge.substitute.SigningKey;
import dev.vmforge.substitute.SubstituteSettings;
import dev.vmforge.substitute.TrustedKeys;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code <substitutes>} and its properties turned into the engine's {@link Substitutes}: relative files are the
 * project's, the signing key's passphrase comes from the settings.xml server {@code vm-substitutes}
 * ({@code <passphrase>}, decrypted as Maven does) or {@code $VM_SUBSTITUTES_PASSPHRASE}, the registry's
 * credentials as vm:push-docker-image finds them.
 *
 * @param enabled          {@code -Dvm.substitutes} (default true)
 * @param registry         {@code -Dvm.substitutes.registry}, over the configuration's
 * @param publish          {@code -Dvm.substitutes.publish}, over the configuration's
 * @param trustedKeys      {@code -Dvm.substitutes.trustedKeys}: files separated by commas, over the configuration's
 * @param signingKey       {@code -Dvm.substitutes.signingKey}, over the configuration's
 * @param allowInsecure    {@code -Dvm.substitutes.allowInsecureRegistry}, over the configuration's
 */
record SubstitutesSetup(SubstitutesConfig config, boolean enabled, String registry, Boolean publish,
                        String trustedKeys, String signingKey, Boolean allowInsecure) {

    /** The configured substitutes, or none when they are off or not configured. */
    Optional<RegistrySubstitutes> create(Path basedir, Settings settings, SettingsDecrypter decrypter,
                                         Path cacheDirectory, BuildLog log) {
        SubstitutesConfig c = config == null ? new SubstitutesConfig() : config;
        String where = pick(registry, c.registry);
        if (!enabled || where == null || where.isBlank()) {
            return Optional.empty();
        }
        boolean push = Optional.ofNullable(publish).or(() -> Optional.ofNullable(c.publish)).orElse(false);
        List<String> keys = trustedKeys != null && !trustedKeys.isBlank()
                ? Arrays.stream(trustedKeys.split(",")).map(String::strip).filter(k -> !k.isEmpty()).toList()
                : c.trustedKeys;
        String secret = pick(signingKey, c.signingKey);
        Optional<SigningKey> signer = push && secret != null && !secret.isBlank()
                ? Optional.of(SigningKey.load(basedir.resolve(secret), passphrase(settings, decrypter)))
                : Optional.empty();
        SubstituteSettings substitutes = new SubstituteSettings(SubstituteSettings.repository(where), push,
                TrustedKeys.load(keys.stream().map(basedir::resolve).toList()), signer,
                Optional.ofNullable(allowInsecure).or(() -> Optional.ofNullable(c.allowInsecureRegistry)).orElse(false));
        CredentialSource credentials = CredentialChain.standard(new SettingsCredentials(settings, decrypter),
                System.getenv(), Path.of(System.getProperty("user.home")), log);
        return Optional.of(new RegistrySubstitutes(substitutes, credentials,
                cacheDirectory.resolve("registry").resolve("blob-locations"), log));
    }

    private static String pick(String property, String configured) {
        return property != null && !property.isBlank() ? property : configured;
    }

    /** The signing key's passphrase: settings.xml first, then the environment; none is an empty one. */
    private static char[] passphrase(Settings settings, SettingsDecrypter decrypter) {
        Server server = settings == null ? null : settings.getServer(SubstituteSettings.SERVER_ID);
        if (server != null && server.getPassphrase() != null) {
            Server decrypted = decrypter.decrypt(new DefaultSettingsDecryptionRequest(server)).getServer();
            return decrypted.getPassphrase().toCharArray();
        }
        String fromEnvironment = System.getenv(SubstituteSettings.PASSPHRASE_VARIABLE);
        return fromEnvironment == null ? new char[0] : fromEnvironment.toCharArray();
    }
}
