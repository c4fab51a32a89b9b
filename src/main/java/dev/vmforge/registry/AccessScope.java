package dev.vmforge.registry;

/**
 * What a request needs to be allowed to do, in the token flow's words: {@code repository:team/app:pull,push}.
 * Registries with Basic authentication ignore it.
 */
public record AccessScope(String repository, boolean push) {
    public static AccessScope pull(String repository) {
        return new AccessScope(repository, false);
    }

    public static AccessScope push(String repository) {
        return new AccessScope(repository, true);
    }

    /** The {@code scope} parameter of a token request. */
    @Override
    public String toString() {
        return "repository:" + repository + (push ? ":pull,push" : ":pull");
    }
}
