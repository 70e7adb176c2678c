package io.tessera.executor.support;

import org.apache.curator.test.TestingServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a ZooKeeper server says it received, asked the way an operator would: the {@code srvr}
 * four-letter word on the client port. Counts every request of every client (pings too).
 */
public final class ServerCounts {

    private static final Pattern RECEIVED = Pattern.compile("Received: (\\d+)");

    private ServerCounts() {
    }

    /** Requests the server received since it started. */
    public static long received(TestingServer zk) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", zk.getPort())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write("srvr".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String reply = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Matcher matcher = RECEIVED.matcher(reply);
            if (!matcher.find()) {
                throw new IOException("no 'Received:' in the server's srvr reply: " + reply);
            }
            return Long.parseLong(matcher.group(1));
        }
    }
}
