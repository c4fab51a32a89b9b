package dev.vmforge.registry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code WWW-Authenticate} challenge (RFC 7235): {@code Basic realm="..."} or, for the token flow,
 * {@code Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:a:pull"}.
 *
 * @param scheme lower-case: {@code basic} or {@code bearer}
 * @param params parameter names lower-case, values unquoted
 */
public record AuthChallenge(String scheme, Map<String, String> params) {
    public AuthChallenge {
        params = Map.copyOf(params);
    }

    public boolean isBearer() {
        return scheme.equals("bearer");
    }

    public boolean isBasic() {
        return scheme.equals("basic");
    }

    public Optional<String> param(String name) {
        return Optional.ofNullable(params.get(name));
    }

    /** The Bearer or Basic challenge among a response's {@code WWW-Authenticate} headers, Bearer preferred. */
    public static Optional<AuthChallenge> select(List<String> headerValues) {
        AuthChallenge basic = null;
        for (String value : headerValues) {
            Optional<AuthChallenge> challenge = parse(value);
            if (challenge.isPresent() && challenge.get().isBearer()) {
                return challenge;
            }
            if (challenge.isPresent() && challenge.get().isBasic()) {
                basic = challenge.get();
            }
        }
        return Optional.ofNullable(basic);
    }

    /** Parses one header value; empty if it has no scheme. Quoted values may hold commas and escaped quotes. */
    public static Optional<AuthChallenge> parse(String header) {
        String text = header == null ? "" : header.strip();
        int space = text.indexOf(' ');
        String scheme = (space < 0 ? text : text.substring(0, space)).toLowerCase(Locale.ROOT);
        if (scheme.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> params = new LinkedHashMap<>();
        int i = space < 0 ? text.length() : space + 1;
        while (i < text.length()) {
            while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == ',')) {
                i++;
            }
            int equals = text.indexOf('=', i);
            if (equals < 0) {
                break;
            }
            String name = text.substring(i, equals).strip().toLowerCase(Locale.ROOT);
            i = equals + 1;
            StringBuilder value = new StringBuilder();
            if (i < text.length() && text.charAt(i) == '"') {
                i++;
                while (i < text.length() && text.charAt(i) != '"') {
                    if (text.charAt(i) == '\\' && i + 1 < text.length()) {
                        i++;
                    }
                    value.append(text.charAt(i++));
                }
                i++; // the closing quote
            } else {
                while (i < text.length() && text.charAt(i) != ',') {
                    value.append(text.charAt(i++));
                }
            }
            params.put(name, value.toString().strip());
        }
        return Optional.of(new AuthChallenge(scheme, params));
    }
}
