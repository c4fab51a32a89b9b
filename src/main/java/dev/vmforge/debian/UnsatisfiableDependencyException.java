package dev.vmforge.debian;

import dev.vmforge.BuildException;
import java.util.List;

/** No package satisfies a dependency; the message shows the chain that led to it. */
public class UnsatisfiableDependencyException extends BuildException {
    private final List<String> chain;

    public UnsatisfiableDependencyException(List<String> chain, String reason) {
        super("Cannot resolve packages: " + String.join(" -> ", chain) + ": " + reason
                + ". Check the <packages> names and the <distribution> suites and components.");
        this.chain = List.copyOf(chain);
    }

    /** Root package first, the unsatisfiable relation last. */
    public List<String> chain() {
        return chain;
    }
}
