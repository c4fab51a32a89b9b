package dev.vmforge.os.pom;

import java.util.ArrayList;
import java.util.List;

/** {@code <substitutes>}: built outputs shared through an OCI registry. */
public class SubstitutesConfig {
    /** The OCI repository, {@code host[:port]/path}. */
    public String registry;
    public Boolean publish;
    /** OpenPGP public key files; a substitute is used only when signed by one of them. */
    public List<String> trustedKeys = new ArrayList<>();
    /** The OpenPGP secret key file that signs what is published. */
    public String signingKey;
    public Boolean allowInsecureRegistry;
}
