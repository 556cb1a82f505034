package dev.asyncprod.server.config;

/**
 * A port flag's value: one port, or a range such as {@code 9201-9203} of which the first free one
 * is taken, so replicas scaled on one host network each find one.
 *
 * @param first the port, or the first of the range
 * @param last  the end of the range ({@code first} for a single port)
 */
record PortRange(int first, int last) {

    /** Parses {@code text} for {@code flag}; a bad value is a {@link FlagCheck} error naming the flag. */
    static PortRange parse(String text, String flag, FlagCheck check) {
        String[] range = text.trim().split("-", 2);
        int first = portOf(range[0], text, flag, check);
        int last = range.length == 2 ? portOf(range[1], text, flag, check) : first;
        check.require(first <= last && (first > 0 || last == 0),
                flag + " range must run upwards from a port above 0, got " + text);
        return new PortRange(first, last);
    }

    private static int portOf(String part, String text, String flag, FlagCheck check) {
        int value = TcpPort.parse(part);
        check.require(value >= 0, flag + " must be from 0 to 65535 or a range like 9201-9203, got " + text);
        return value;
    }
}
