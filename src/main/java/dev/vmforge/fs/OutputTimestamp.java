package dev.vmforge.fs;

import dev.vmforge.BuildException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Maven's {@code project.build.outputTimestamp} as the seconds since the epoch that archives record. */
public final class OutputTimestamp {
    /** Used when the project sets no timestamp: 1 s after the epoch (0 is "unknown" to some tools). */
    public static final long DEFAULT = 1;

    private OutputTimestamp() {
    }

    /**
     * Parses an ISO-8601 date-time with offset ({@code 2026-11-23T00:00:00Z}) or a number of seconds.
     * Null, empty or one-character values (Maven's way of disabling it) give {@link #DEFAULT}.
     *
     * @throws BuildException for anything else
     */
    public static long parse(String value) {
        if (value == null || value.strip().length() <= 1) {
            return DEFAULT;
        }
        String v = value.strip();
        try {
            if (v.chars().allMatch(Character::isDigit)) {
                return Long.parseLong(v);
            }
            long seconds = OffsetDateTime.parse(v).toEpochSecond();
            if (seconds < 0) {
                throw new BuildException("project.build.outputTimestamp '" + value + "' is before 1970; use a later date");
            }
            return seconds;
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new BuildException("project.build.outputTimestamp '" + value
                    + "' is neither an ISO-8601 date-time such as 2026-11-23T00:00:00Z nor seconds since the epoch");
        }
    }
}
