package dev.vmforge.debian;

/** The relation operators of Debian policy 7.1 ({@code <} and {@code >} are the obsolete forms of {@code <=} and {@code >=}). */
public enum VersionOperator {
    LESS("<<"), LESS_OR_EQUAL("<="), EQUAL("="), GREATER_OR_EQUAL(">="), GREATER(">>");

    private final String symbol;

    VersionOperator(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    public static VersionOperator parse(String symbol) {
        switch (symbol) {
            case "<<": return LESS;
            case "<=": case "<": return LESS_OR_EQUAL;
            case "=": return EQUAL;
            case ">=": case ">": return GREATER_OR_EQUAL;
            case ">>": return GREATER;
            default: throw new IllegalArgumentException("unknown version operator '" + symbol + "'");
        }
    }

    /** Whether {@code candidate OP reference} holds. */
    public boolean test(DebianVersion candidate, DebianVersion reference) {
        int c = candidate.compareTo(reference);
        switch (this) {
            case LESS: return c < 0;
            case LESS_OR_EQUAL: return c <= 0;
            case EQUAL: return c == 0;
            case GREATER_OR_EQUAL: return c >= 0;
            default: return c > 0;
        }
    }
}
