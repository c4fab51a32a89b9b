package dev.vmforge.docker;

import dev.vmforge.Json;

import java.util.Map;

/** The tests read the writer's output as a loader would, with the strict parser (bad syntax fails). */
final class TestJson {
    private TestJson() {
    }

    static Object parse(String text) {
        return Json.parse(text);
    }

    static Map<String, Object> object(String text) {
        return Json.parseObject(text);
    }
}
