package dev.vmforge.os;

import dev.vmforge.BuildException;

/** A value in the POM's configuration is wrong; the message names the element and the fix. */
public class InvalidConfigurationException extends BuildException {
    private final String element;

    public InvalidConfigurationException(String element, String message) {
        super("<" + element + ">: " + message);
        this.element = element;
    }

    /** The configuration element path, e.g. {@code operatingSystem/users/user[2]/uid}. */
    public String element() {
        return element;
    }
}
