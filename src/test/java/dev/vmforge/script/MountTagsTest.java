package dev.vmforge.script;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MountTagsTest {
    private static final String LONG_NAME = "a".repeat(200);

    private static final List<Path> ODD_PATHS = List.of(
            Path.of("/"),
            Path.of("/srv/data"),
            Path.of("/srv/data/"),
            Path.of("/srv/Data"),
            Path.of("/srv/données partagées"),
            Path.of("/home/user/日本語のフォルダ"),
            Path.of("/home/user/with space"),
            Path.of("/home/user/with,comma"),
            Path.of("/home/user/with:colon"),
            Path.of("/home/user/_leading_underscore"),
            Path.of("/home/user/___"),
            Path.of("/home/user/-dash"),
            Path.of("/home/user/" + LONG_NAME),
            Path.of("/home/user/" + LONG_NAME + "b"),
            Path.of("/home/other/" + LONG_NAME),
            Path.of("/a/" + "x/".repeat(300) + "end"),
            Path.of("/a/" + "x/".repeat(300) + "end2"),
            Path.of("/project/target"),
            Path.of("/project2/target"),
            Path.of("/emoji/\uD83D\uDE00"));

    @Test
    void everyTagObeysQemusRules() {
        for (Path path : ODD_PATHS) {
            for (int ordinal = 0; ordinal < 3; ordinal++) {
                String tag = MountTags.forPath(path, ordinal);
                byte[] bytes = tag.getBytes(StandardCharsets.UTF_8);
                assertTrue(bytes.length <= MountTags.MAX_BYTES, tag + " is longer than 31 bytes");
                assertTrue(tag.chars().allMatch(c -> c > 0x20 && c < 0x7f), tag + " is not printable ASCII");
                assertFalse(tag.contains("/"), tag);
                assertFalse(tag.contains(","), tag + " would need escaping in -virtfs");
                assertFalse(tag.contains(":"), tag + " would break vmforge.share=TAG:/target");
                assertFalse(tag.startsWith("_"), tag);
                assertFalse(tag.isEmpty());
            }
        }
    }

    @Test
    void distinctPathsGetDistinctTags() {
        Map<String, Path> seen = new HashMap<>();
        for (Path path : ODD_PATHS) {
            Path normalized = path.toAbsolutePath().normalize();
            String tag = MountTags.forPath(path);
            Path previous = seen.put(tag, normalized);
            if (previous != null) {
                assertEquals(previous, normalized, "two paths share the tag " + tag);
            }
        }
        // "/srv/data" and "/srv/data/" are one directory; everything else is distinct
        assertEquals(ODD_PATHS.size() - 1, seen.size());
    }

    @Test
    void theTagOfAPathIsStableAndReadable() {
        assertEquals(MountTags.forPath(Path.of("/srv/data")), MountTags.forPath(Path.of("/srv/./data")));
        assertTrue(MountTags.forPath(Path.of("/srv/data")).startsWith("data-"));
        assertTrue(MountTags.forPath(Path.of("/home/user/with space")).startsWith("with-space-"));
        assertTrue(MountTags.forPath(Path.of("/")).startsWith("share-"));
        assertTrue(MountTags.forPath(Path.of("/x/_leading_underscore")).startsWith("leading-"));
    }

    @Test
    void furtherExportsOfOneDirectoryGetTheirOwnTags() {
        Path path = Path.of("/srv/data");
        assertEquals(MountTags.forPath(path), MountTags.forPath(path, 0));
        assertNotEquals(MountTags.forPath(path, 0), MountTags.forPath(path, 1));
        assertNotEquals(MountTags.forPath(path, 1), MountTags.forPath(path, 2));

        ShareTags tags = new ShareTags();
        String first = tags.tagFor(path);
        String second = tags.tagFor(Path.of("/srv/data/"));
        assertEquals(MountTags.forPath(path), first);
        assertNotEquals(first, second);
    }
}
