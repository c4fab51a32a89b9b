package dev.vmforge.docker;

import dev.vmforge.Json;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JsonTest {

    @Test
    void keepsMapOrderAndWritesNoWhitespace() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("b", 1);
        m.put("a", List.of("x", 2L, true));
        m.put("c", Map.of());
        assertEquals("{\"b\":1,\"a\":[\"x\",2,true],\"c\":{}}", Json.write(m));
    }

    @Test
    void escapesPerRfc8259AndRoundTrips() {
        String nasty = "q\"b\\s/n\nr\rt\tc\u0001é€\u2028";
        String json = Json.write(List.of(nasty));
        assertEquals("[\"q\\\"b\\\\s/n\\nr\\rt\\tc\\u0001é€\u2028\"]", json);
        assertEquals(List.of(nasty), TestJson.parse(json));
    }
}
