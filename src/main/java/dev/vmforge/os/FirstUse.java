package dev.vmforge.os;

import java.util.HashMap;
import java.util.Map;

/**
 * Remembers which item of a POM list first used a key (a name, a uid, a target path, a host port),
 * so that a later item repeating it is refused with a message pointing at the first one.
 */
final class FirstUse<K> {
    private final Map<K, Integer> indexByKey = new HashMap<>();
    private final String itemName;

    /** @param itemName the list's item element, e.g. {@code user} */
    FirstUse(String itemName) {
        this.itemName = itemName;
    }

    /**
     * @param what how the message names the key, e.g. {@code uid 1000}
     * @param fix  what to do instead, e.g. {@code give each user a distinct uid}
     */
    void claim(String element, K key, int index, String what, String fix) {
        Integer earlier = indexByKey.putIfAbsent(key, index);
        if (earlier != null && earlier != index) {
            throw new InvalidConfigurationException(element, what + " is already used by " + itemName + "["
                    + (earlier + 1) + "]; " + fix);
        }
    }

    boolean isUsed(K key) {
        return indexByKey.containsKey(key);
    }
}
