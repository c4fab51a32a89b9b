package dev.vmforge.registry;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthChallengeTest {
    @Test
    void bearerChallengesWithQuotedCommasAndEscapes() {
        AuthChallenge c = AuthChallenge.parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                + "scope=\"repository:library/a:pull,push repository:b:pull\",error=\"insufficient_scope\"").orElseThrow();
        assertTrue(c.isBearer());
        assertEquals(Map.of("realm", "https://auth.docker.io/token", "service", "registry.docker.io",
                "scope", "repository:library/a:pull,push repository:b:pull", "error", "insufficient_scope"), c.params());
        assertEquals("a \"b\"", AuthChallenge.parse("Basic realm=\"a \\\"b\\\"\"").orElseThrow().param("realm")
                .orElseThrow());
        assertEquals(Optional.of("x"), AuthChallenge.parse("BASIC Realm=x").orElseThrow().param("realm"));
    }

    @Test
    void bearerIsPreferredAmongSeveralHeaders() {
        assertEquals("bearer", AuthChallenge.select(List.of("Basic realm=\"r\"", "Bearer realm=\"https://t\""))
                .orElseThrow().scheme());
        assertEquals("basic", AuthChallenge.select(List.of("Negotiate", "Basic realm=\"r\"")).orElseThrow().scheme());
        assertEquals(Optional.empty(), AuthChallenge.select(List.of("Negotiate")));
        assertEquals(Optional.empty(), AuthChallenge.parse(""));
    }
}
