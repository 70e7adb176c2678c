package io.tessera.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** ZooKeeper's four-letter words over a plain socket (the server must whitelist them). */
public final class ZkFourLetter {

    private ZkFourLetter() {
    }

    public static String send(String host, int port, String word) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2000);
            socket.setSoTimeout(3000);
            OutputStream out = socket.getOutputStream();
            out.write(word.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** {@code mntr} as numbers; empty when the word is refused ("mntr is not executed because it is not in the whitelist"). */
    static Map<String, Long> mntr(String host, int port) throws IOException {
        return parseMntr(send(host, port, "mntr"));
    }

    static Map<String, Long> parseMntr(String text) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String[] kv = line.split("\t");
            if (kv.length == 2) {
                try {
                    values.put(kv[0].trim(), Long.parseLong(kv[1].trim()));
                } catch (NumberFormatException ignored) {
                    // zk_version, zk_server_state: not numbers
                }
            }
        }
        return values;
    }

    public static boolean ruok(String host, int port) {
        try {
            return send(host, port, "ruok").startsWith("imok");
        } catch (IOException e) {
            return false;
        }
    }
}
