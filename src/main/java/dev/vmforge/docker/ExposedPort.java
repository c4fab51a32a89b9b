package dev.vmforge.docker;

import dev.vmforge.os.InvalidConfigurationException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A port the container listens on, from {@code <docker><ports>}: {@code 8080}, {@code 8080/tcp}, {@code 53/udp} or {@code 9/sctp}
 * (the protocols Docker knows), as {@code dev.vmforge.os.DockerReader} accepts them. */
public record ExposedPort(int number, String protocol) {
    static final String ELEMENT = "docker/ports";
    private static final Pattern FORM = Pattern.compile("([0-9]{1,5})(?:/(tcp|udp|sctp))?");

    public static ExposedPort parse(String text) {
        String value = text == null ? "" : text.trim();
        Matcher m = FORM.matcher(value);
        if (!m.matches()) {
            throw new InvalidConfigurationException(ELEMENT, "'" + value + "' is not a port: write N, N/tcp, N/udp or N/sctp,"
                    + " e.g. 8080 or 53/udp");
        }
        int number = Integer.parseInt(m.group(1));
        if (number < 1 || number > 65535) {
            throw new InvalidConfigurationException(ELEMENT, "port " + number + " is outside 1-65535");
        }
        return new ExposedPort(number, m.group(2) == null ? "tcp" : m.group(2));
    }

    /** The image config's key, e.g. {@code 8080/tcp}. */
    @Override
    public String toString() {
        return number + "/" + protocol;
    }
}
