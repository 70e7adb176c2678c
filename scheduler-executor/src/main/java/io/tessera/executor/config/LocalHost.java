package io.tessera.executor.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The address to advertise when none is configured. */
final class LocalHost {

    private LocalHost() {
    }

    static String guess() {
        try {
            InetAddress local = InetAddress.getLocalHost();
            return local.isLoopbackAddress() ? "127.0.0.1" : local.getHostAddress();
        } catch (UnknownHostException e) {
            return "127.0.0.1";
        }
    }
}
