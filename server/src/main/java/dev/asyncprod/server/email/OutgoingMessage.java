package dev.asyncprod.server.email;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/** A job's email as it goes on the wire: envelope, headers and an RFC 5322 message. */
public record OutgoingMessage(String messageId, String from, String to, String subject, String body) {

    public static OutgoingMessage of(Job job, String from) {
        return new OutgoingMessage(job.messageId(), from, job.email().to(), job.email().subject(), job.email().body());
    }

    /**
     * The message in SMTP's DATA form: CRLF line ends, ending with CRLF. The body is UTF-8 in
     * base64 (RFC 2045), so any text survives a 7-bit relay and no line can start with a dot,
     * which makes SMTP's dot-stuffing unnecessary.
     */
    public byte[] render(ZonedDateTime date) {
        String text = "Message-ID: " + messageId + "\r\n"
                + "Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(date.withZoneSameInstant(ZoneOffset.UTC)) + "\r\n"
                + "From: <" + from + ">\r\n"
                + "To: <" + to + ">\r\n"
                + "Subject: " + encodedWord(subject) + "\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n"
                + "Content-Transfer-Encoding: base64\r\n"
                + "\r\n"
                + Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encodeToString(body.getBytes(StandardCharsets.UTF_8))
                + "\r\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * RFC 2047: plain ASCII as it is; anything else as base64 encoded-words of at most 75
     * characters each (45 bytes of UTF-8, never splitting a character), folded onto new lines.
     */
    private static String encodedWord(String s) {
        if (s.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            return s;
        }
        StringBuilder out = new StringBuilder();
        int start = 0;
        while (start < s.length()) {
            int end = start;
            int bytes = 0;
            while (end < s.length()) {
                int cp = s.codePointAt(end);
                int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4; // UTF-8's length
                if (bytes + size > 45) {
                    break;
                }
                bytes += size;
                end += Character.charCount(cp);
            }
            if (out.length() > 0) {
                out.append("\r\n "); // folding: the next word continues the header on a new line
            }
            out.append("=?UTF-8?B?")
                    .append(Base64.getEncoder().encodeToString(s.substring(start, end).getBytes(StandardCharsets.UTF_8)))
                    .append("?=");
            start = end;
        }
        return out.toString();
    }
}
