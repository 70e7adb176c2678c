package io.tessera.admin.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * HTTP/1.1 over a plain socket, one request per connection, so that a fuzz request may carry what
 * {@code java.net.http} refuses to send: raw request targets ({@code ../}, {@code //}), NULs and
 * non-ASCII in headers, duplicate and huge headers. Reads the answer by {@code Content-Length} or
 * chunked encoding (the agent keeps connections open); a server that closes without answering is
 * reported as status 0.
 */
final class RawHttp {

    private static final int TIMEOUT_MILLIS = 20_000;

    private RawHttp() {
    }

    record Header(String name, String value) {
        @Override
        public String toString() {
            return name + ": " + printable(value);
        }
    }

    /** A request as it goes on the wire; {@code target} is the request target, sent as is. */
    record Request(String method, String target, List<Header> headers, byte[] body) {
        byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256 + body.length);
            StringBuilder head = new StringBuilder();
            head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
            head.append("Host: 127.0.0.1\r\n");
            head.append("Connection: close\r\n");
            for (Header header : headers) {
                head.append(header.name()).append(": ").append(header.value()).append("\r\n");
            }
            head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
            out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
            out.writeBytes(body);
            return out.toByteArray();
        }

        @Override
        public String toString() {
            String text = new String(body, StandardCharsets.UTF_8);
            return method + " " + printable(target) + " " + headers + " body(" + body.length + " bytes)="
                    + printable(text.length() > 300 ? text.substring(0, 300) + "…" : text);
        }
    }

    record Response(int status, List<Header> headers, byte[] body) {
        Optional<String> header(String name) {
            return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).findFirst();
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            String text = text();
            return status + " " + header("Content-Type").orElse("(no Content-Type)") + " "
                    + printable(text.length() > 500 ? text.substring(0, 500) + "…" : text);
        }
    }

    static Response exchange(int port, Request request) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.bytes());
                out.flush();
            } catch (IOException e) {
                // The server may answer and close before it has read everything (a refused body); read what it said.
            }
            return read(socket.getInputStream(), request.method().equals("HEAD"));
        } catch (SocketTimeoutException e) {
            throw new IllegalStateException("no answer within " + TIMEOUT_MILLIS + " ms to " + request, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot talk to 127.0.0.1:" + port + " for " + request, e);
        }
    }

    private static Response read(InputStream in, boolean head) throws IOException {
        String statusLine = line(in);
        if (statusLine == null) {
            return new Response(0, List.of(), new byte[0]);
        }
        int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
        List<Header> headers = headers(in);
        while (status >= 100 && status < 200) { // an interim answer (100 Continue): the final one follows
            statusLine = line(in);
            if (statusLine == null) {
                return new Response(0, List.of(), new byte[0]);
            }
            status = Integer.parseInt(statusLine.split(" ", 3)[1]);
            headers = headers(in);
        }
        Optional<String> length = headers.stream().filter(h -> h.name().equalsIgnoreCase("Content-Length"))
                .map(Header::value).findFirst();
        byte[] body;
        if (head || status == 204 || status == 304) {
            body = new byte[0];
        } else if (headers.stream().anyMatch(h -> h.name().equalsIgnoreCase("Transfer-Encoding")
                && h.value().toLowerCase(Locale.ROOT).contains("chunked"))) {
            body = chunked(in);
        } else if (length.isPresent()) {
            body = in.readNBytes(Integer.parseInt(length.get()));
        } else {
            body = in.readAllBytes();
        }
        return new Response(status, headers, body);
    }

    private static List<Header> headers(InputStream in) throws IOException {
        List<Header> headers = new ArrayList<>();
        for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            headers.add(new Header(line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
        }
        return headers;
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line(in);
            if (size == null) {
                return body.toByteArray();
            }
            int semicolon = size.indexOf(';');
            int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
            if (n == 0) {
                for (String trailer = line(in); trailer != null && !trailer.isEmpty(); trailer = line(in)) {
                    // trailers are not used by either server
                }
                return body.toByteArray();
            }
            body.writeBytes(in.readNBytes(n));
            line(in);
        }
    }

    /** One CRLF-terminated line, or null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    /** Control characters shown as escapes, long runs cut, so that a failing request can be read. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder();
        String cut = text.length() > 400 ? text.substring(0, 400) + "…(" + text.length() + " chars)" : text;
        cut.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
