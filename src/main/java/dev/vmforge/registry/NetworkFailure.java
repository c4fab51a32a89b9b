package dev.vmforge.registry;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertificateException;

/** What kind of network failure an exception of the JDK's HTTP client is, in words a user can act on. */
enum NetworkFailure {
    UNKNOWN_HOST("its host name does not resolve"),
    REFUSED("the connection was refused"),
    UNREACHABLE("there is no route to it"),
    CONNECT_TIMEOUT("the connection timed out"),
    TIMEOUT("it did not answer in time"),
    CERTIFICATE("its TLS certificate is not trusted"),
    NOT_TLS("it does not speak TLS (plain HTTP?)"),
    CLOSED("the connection was closed before the request completed"),
    OTHER("the connection failed");

    final String description;

    NetworkFailure(String description) {
        this.description = description;
    }

    static NetworkFailure of(IOException e) {
        if (has(e, UnresolvedAddressException.class) || has(e, UnknownHostException.class)) {
            return UNKNOWN_HOST;
        }
        if (has(e, HttpConnectTimeoutException.class)) {
            return CONNECT_TIMEOUT;
        }
        if (has(e, HttpTimeoutException.class)) {
            return TIMEOUT;
        }
        if (has(e, NoRouteToHostException.class)) {
            return UNREACHABLE;
        }
        if (has(e, CertificateException.class) || (has(e, SSLHandshakeException.class) && mentions(e, "PKIX",
                "certificate", "subject alternative", "No name matching"))) {
            return CERTIFICATE;
        }
        if (has(e, SSLException.class) && mentions(e, "plaintext", "Unsupported or unrecognized SSL message")) {
            return NOT_TLS;
        }
        if (has(e, ConnectException.class)) {
            return REFUSED;
        }
        if (has(e, EOFException.class) || mentions(e, "closed", "reset", "Broken pipe", "received no bytes", "EOF")) {
            return CLOSED;
        }
        return OTHER;
    }

    /** The exception's own words (never request headers: the JDK client does not put them in messages). */
    static String detail(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getClass().getSimpleName() + ": " + t.getMessage();
            }
        }
        return e.getClass().getSimpleName();
    }

    private static boolean has(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static boolean mentions(Throwable e, String... words) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null) {
                for (String word : words) {
                    if (message.contains(word)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
