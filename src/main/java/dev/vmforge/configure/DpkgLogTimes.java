package dev.vmforge.configure;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Where the configure step's time went, from dpkg's own log ({@code /var/log/dpkg.log}, to the second): each
 * {@code configure} or {@code trigproc} action lasts until the next line of the log. What {@code -X} prints after
 * the configure step and the benchmarks rank.
 */
public final class DpkgLogTimes {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** One action: e.g. {@code configure openjdk-17-jre-headless:amd64}. */
    public record Action(String what, long seconds) {
    }

    private DpkgLogTimes() {
    }

    /** The actions in the log's order; lines that are not dpkg's are skipped. */
    public static List<Action> parse(String log) {
        List<String[]> actions = new ArrayList<>();
        LocalDateTime last = null;
        for (String line : log.split("\n")) {
            String[] words = line.split(" ");
            if (words.length < 4) {
                continue;
            }
            LocalDateTime time;
            try {
                time = LocalDateTime.parse(words[0] + " " + words[1], FORMAT);
            } catch (DateTimeParseException e) {
                continue;
            }
            last = time;
            if (words[2].equals("configure") || words[2].equals("trigproc")) {
                actions.add(new String[] {words[0] + " " + words[1], words[2] + " " + words[3]});
            }
        }
        List<Action> result = new ArrayList<>();
        for (int i = 0; i < actions.size(); i++) {
            LocalDateTime start = LocalDateTime.parse(actions.get(i)[0], FORMAT);
            LocalDateTime end = i + 1 < actions.size() ? LocalDateTime.parse(actions.get(i + 1)[0], FORMAT) : last;
            result.add(new Action(actions.get(i)[1], Duration.between(start, end).toSeconds()));
        }
        return result;
    }

    /** The {@code n} slowest, slowest first. */
    public static List<Action> slowest(List<Action> actions, int n) {
        return actions.stream().sorted(Comparator.comparingLong(Action::seconds).reversed()).limit(n).toList();
    }
}
